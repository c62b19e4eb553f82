// `import file from './x?script&module'` gives the emitted file name of a module that crxjs
// builds and lists in web_accessible_resources (see content-script.ts for why we need it).
/// <reference types="@crxjs/vite-plugin/client" />
