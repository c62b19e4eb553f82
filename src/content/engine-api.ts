/**
 * The seam between the eager content script (content-script.ts, injected into every page) and the
 * fill engine (fill-engine.ts, imported only when a frame has candidate fields or the worker asks).
 * Types only: nothing here reaches either bundle.
 */
import type { Result } from '../shared/result';

export interface EngineHooks {
  /** Called (debounced, off the critical path) after DOM changes that may add, show or hide fields. */
  onFieldsMayHaveChanged(listener: () => void): void;
}

export interface EngineModule {
  start(hooks: EngineHooks): void;
  /** A raw message from the extension's worker (sender already checked); parsed by the engine. */
  handleWorkerMessage(raw: unknown): Promise<Result<unknown>>;
}
