import { Secret, TOTP } from 'otpauth';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { parseTotpInput, totpCode, type TotpAlgorithm, type TotpParseError, type TotpSpec } from './totp';

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * RFC 6238 Appendix B seeds: the ASCII digits "1234567890" repeated to the hash's output size
 * (20, 32 and 64 bytes — the reference code in Appendix A uses these, not the 20-byte seed the
 * table's prose names for all three), written in base32.
 */
const RFC_SEEDS: Record<TotpAlgorithm, { ascii: string; base32: string }> = {
  SHA1: { ascii: '12345678901234567890', base32: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' },
  SHA256: { ascii: '12345678901234567890123456789012', base32: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA' },
  SHA512: {
    ascii: '1234567890123456789012345678901234567890123456789012345678901234',
    base32: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA',
  },
};

const rfcSpec = (algorithm: TotpAlgorithm, digits: 6 | 7 | 8 = 8): TotpSpec => ({ secret: RFC_SEEDS[algorithm].base32, algorithm, digits, period: 30 });

describe('totpCode', () => {
  test.each(Object.entries(RFC_SEEDS))('%s seed in the table is the RFC seed', (_algorithm, seed) => {
    expect(Secret.fromBase32(seed.base32).latin1).toBe(seed.ascii);
  });

  // RFC 6238 Appendix B: [Unix time in s, mode, 8-digit TOTP]; the last column is the seconds
  // left in the 30 s step (30 − T mod 30).
  const RFC_6238_VECTORS: [number, TotpAlgorithm, string, number][] = [
    [59, 'SHA1', '94287082', 1],
    [59, 'SHA256', '46119246', 1],
    [59, 'SHA512', '90693936', 1],
    [1111111109, 'SHA1', '07081804', 1],
    [1111111109, 'SHA256', '68084774', 1],
    [1111111109, 'SHA512', '25091201', 1],
    [1111111111, 'SHA1', '14050471', 29],
    [1111111111, 'SHA256', '67062674', 29],
    [1111111111, 'SHA512', '99943326', 29],
    [1234567890, 'SHA1', '89005924', 30],
    [1234567890, 'SHA256', '91819424', 30],
    [1234567890, 'SHA512', '93441116', 30],
    [2000000000, 'SHA1', '69279037', 10],
    [2000000000, 'SHA256', '90698825', 10],
    [2000000000, 'SHA512', '38618901', 10],
    [20000000000, 'SHA1', '65353130', 10],
    [20000000000, 'SHA256', '77737706', 10],
    [20000000000, 'SHA512', '47863826', 10],
  ];

  test.each(RFC_6238_VECTORS)('RFC 6238 B: T=%d %s → %s', (seconds, algorithm, code, remainingSeconds) => {
    expect(totpCode(rfcSpec(algorithm), seconds * 1000)).toEqual({ code, remainingSeconds });
  });

  // Fewer digits is the same truncated value mod 10^d (RFC 4226 §5.3), i.e. the last d digits.
  test.each(RFC_6238_VECTORS)('6 and 7 digits: T=%d %s → last digits of %s', (seconds, algorithm, code) => {
    expect(totpCode(rfcSpec(algorithm, 6), seconds * 1000).code).toBe(code.slice(-6));
    expect(totpCode(rfcSpec(algorithm, 7), seconds * 1000).code).toBe(code.slice(-7));
  });

  // [why, ms, period, code, remainingSeconds] on the SHA1 seed, 8 digits.
  const STEPS: [string, number, number, string, number][] = [
    ['start of a step: the whole period is left', 30_000, 30, totpCode(rfcSpec('SHA1'), 59_000).code, 30],
    ['one millisecond before the next step', 59_999, 30, '94287082', 1],
    ['sub-second remainder rounds up', 58_000.5, 30, '94287082', 2],
    ['epoch', 0, 30, totpCode(rfcSpec('SHA1'), 29_999).code, 30],
    ['60 s period: T=59 is in step 0', 59_000, 60, totpCode(rfcSpec('SHA1'), 0).code, 1],
  ];

  test.each(STEPS)('%s', (_why, nowMs, period, code, remainingSeconds) => {
    expect(totpCode({ ...rfcSpec('SHA1'), period }, nowMs)).toEqual({ code, remainingSeconds });
  });

  test('wipes the key bytes it decoded', () => {
    const decoded: Secret[] = [];
    const fromBase32 = Secret.fromBase32.bind(Secret);
    vi.spyOn(Secret, 'fromBase32').mockImplementation((text) => {
      const secret = fromBase32(text);
      decoded.push(secret);
      return secret;
    });
    expect(totpCode(rfcSpec('SHA1'), 59_000).code).toBe('94287082');
    expect(decoded).toHaveLength(1);
    expect(decoded[0]?.bytes.every((b) => b === 0)).toBe(true);
  });

  test.each<[string, unknown, unknown, typeof RangeError | typeof TypeError]>([
    ['null spec', null, 0, TypeError],
    ['secret not a string', { ...rfcSpec('SHA1'), secret: 42 }, 0, TypeError],
    ['lower-case secret (not canonical)', { ...rfcSpec('SHA1'), secret: RFC_SEEDS.SHA1.base32.toLowerCase() }, 0, RangeError],
    ['secret with spaces', { ...rfcSpec('SHA1'), secret: 'GEZD GNBV GY3T QOJQ' }, 0, RangeError],
    ['padded secret', { ...rfcSpec('SHA1'), secret: 'GEZDGNBVGY3TQOJQGEZA====' }, 0, RangeError],
    ['empty secret', { ...rfcSpec('SHA1'), secret: '' }, 0, RangeError],
    ['short secret', { ...rfcSpec('SHA1'), secret: 'JBSWY3DP' }, 0, RangeError],
    ['MD5', { ...rfcSpec('SHA1'), algorithm: 'MD5' }, 0, RangeError],
    ['lower-case algorithm', { ...rfcSpec('SHA1'), algorithm: 'sha1' }, 0, RangeError],
    ['5 digits', { ...rfcSpec('SHA1'), digits: 5 }, 0, RangeError],
    ['9 digits', { ...rfcSpec('SHA1'), digits: 9 }, 0, RangeError],
    ['period 0', { ...rfcSpec('SHA1'), period: 0 }, 0, RangeError],
    ['fractional period', { ...rfcSpec('SHA1'), period: 30.5 }, 0, RangeError],
    ['period over an hour', { ...rfcSpec('SHA1'), period: 3601 }, 0, RangeError],
    ['negative time', rfcSpec('SHA1'), -1, RangeError],
    ['NaN time', rfcSpec('SHA1'), Number.NaN, RangeError],
    ['infinite time', rfcSpec('SHA1'), Number.POSITIVE_INFINITY, RangeError],
    ['time as a string', rfcSpec('SHA1'), '59000', TypeError],
  ])('refuses %s', (_why, spec, nowMs, error) => {
    expect(() => totpCode(spec as TotpSpec, nowMs as number)).toThrow(error);
  });
});

describe('parseTotpInput', () => {
  const JBSW = 'JBSWY3DPEHPK3PXP'; // The Key URI Format wiki's example secret, 80 bits.
  const bare = (secret: string): TotpSpec => ({ secret, algorithm: 'SHA1', digits: 6, period: 30 });

  // [why, input, normalized spec]
  const VALID: [string, string, TotpSpec][] = [
    ['bare secret', RFC_SEEDS.SHA1.base32, bare(RFC_SEEDS.SHA1.base32)],
    ['lower case, in groups of four', 'gezd gnbv gy3t qojq gezd gnbv gy3t qojq', bare(RFC_SEEDS.SHA1.base32)],
    ['pasted with a newline and tabs', `\n\t${JBSW}\t\n`, bare(JBSW)],
    ['80 bits, the shortest accepted', JBSW, bare(JBSW)],
    ['padding dropped', 'GEZDGNBVGY3TQOJQGEZA====', bare('GEZDGNBVGY3TQOJQGEZA')],
    [
      'the Key URI Format example',
      'otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30',
      { ...bare('HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ'), issuer: 'ACME Co', label: 'john.doe@email.com' },
    ],
    ['label only, defaults', `otpauth://totp/alice@example.com?secret=${JBSW}`, { ...bare(JBSW), label: 'alice@example.com' }],
    ['issuer parameter only', `otpauth://totp/alice?secret=${JBSW}&issuer=Example`, { ...bare(JBSW), issuer: 'Example', label: 'alice' }],
    ['issuer from the label prefix', `otpauth://totp/Example:alice?secret=${JBSW}`, { ...bare(JBSW), issuer: 'Example', label: 'alice' }],
    ['encoded colon and space after the prefix', `otpauth://totp/Big%20Corp%3A%20alice?secret=${JBSW}`, { ...bare(JBSW), issuer: 'Big Corp', label: 'alice' }],
    ['SHA256, 8 digits, 60 s', `otpauth://totp/Example:alice?secret=${JBSW}&algorithm=SHA256&digits=8&period=60`, { secret: JBSW, algorithm: 'SHA256', digits: 8, period: 60, issuer: 'Example', label: 'alice' }],
    ['sha512 in lower case, 7 digits', `otpauth://totp/alice?secret=${JBSW}&algorithm=sha512&digits=7`, { ...bare(JBSW), algorithm: 'SHA512', digits: 7, label: 'alice' }],
    ['upper-case scheme and type', `OTPAUTH://TOTP/alice?SECRET=${JBSW}`, { ...bare(JBSW), label: 'alice' }],
    ['lower-case secret in a URI', `otpauth://totp/alice?secret=${JBSW.toLowerCase()}`, { ...bare(JBSW), label: 'alice' }],
    ['padded secret in a URI', 'otpauth://totp/alice?secret=GEZDGNBVGY3TQOJQGEZA====', { ...bare('GEZDGNBVGY3TQOJQGEZA'), label: 'alice' }],
    ['unknown parameters ignored (FreeOTP image)', `otpauth://totp/alice?secret=${JBSW}&image=https%3A%2F%2Fexample.com%2Flogo.png`, { ...bare(JBSW), label: 'alice' }],
    ['parameters in any order', `otpauth://totp/alice?period=45&digits=8&secret=${JBSW}`, { ...bare(JBSW), digits: 8, period: 45, label: 'alice' }],
    ['1-second period', `otpauth://totp/alice?secret=${JBSW}&period=1`, { ...bare(JBSW), period: 1, label: 'alice' }],
    ['1-hour period', `otpauth://totp/alice?secret=${JBSW}&period=3600`, { ...bare(JBSW), period: 3600, label: 'alice' }],
    ['surrounding whitespace', `  otpauth://totp/alice?secret=${JBSW}\n`, { ...bare(JBSW), label: 'alice' }],
  ];

  test.each(VALID)('accepts %s', (_why, input, spec) => {
    expect(parseTotpInput(input)).toEqual({ ok: true, value: spec });
  });

  test("round-trips otpauth's own URIs", () => {
    const otp = new TOTP({ issuer: 'ACME Co', label: 'alice@example.com', secret: JBSW, algorithm: 'SHA256', digits: 8, period: 60 });
    expect(parseTotpInput(otp.toString())).toEqual({
      ok: true,
      value: { secret: JBSW, algorithm: 'SHA256', digits: 8, period: 60, issuer: 'ACME Co', label: 'alice@example.com' },
    });
  });

  test('a parsed URI gives the RFC code', () => {
    const parsed = parseTotpInput(`otpauth://totp/RFC:6238?secret=${RFC_SEEDS.SHA512.base32}&algorithm=SHA512&digits=8`);
    if (!parsed.ok) expect.fail(parsed.error);
    expect(totpCode(parsed.value, 1111111111_000)).toEqual({ code: '99943326', remainingSeconds: 29 });
  });

  // [why, input, error]
  const INVALID: [string, string, TotpParseError][] = [
    ['empty', '', 'empty'],
    ['only whitespace', ' \n\t ', 'empty'],
    ['very long', 'A'.repeat(4097), 'too_long'],
    ['digit 1 is not base32', 'GEZDGNBVGY3TQOJ1', 'not_base32'],
    ['digit 0 is not base32', 'GEZDGNBVGY3TQOJ0', 'not_base32'],
    ['digit 8 is not base32', 'GEZDGNBVGY3TQOJ8', 'not_base32'],
    ['hyphen-grouped', 'GEZD-GNBV-GY3T-QOJQ', 'not_base32'],
    ['padding in the middle', 'GEZDGNBV=GY3TQOJQ', 'not_base32'],
    ['17 characters: no byte string has that length', 'GEZDGNBVGY3TQOJQG', 'not_base32'],
    ['19 characters', 'GEZDGNBVGY3TQOJQGEZ', 'not_base32'],
    ['22 characters', 'GEZDGNBVGY3TQOJQGEZDGN', 'not_base32'],
    ['hex', '3132333435363738393031323334353637383930', 'not_base32'],
    ['a word that is also base32', 'HELLO', 'secret_too_short'],
    ['72 bits (15 characters)', 'JBSWY3DPEHPK3PX', 'secret_too_short'],
    ['48 bits', 'JBSWY3DPEE', 'secret_too_short'],
    ['a web URL', `https://example.com/?secret=${JBSW}`, 'not_totp_uri'],
    ['Google Authenticator export', 'otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8S', 'not_totp_uri'],
    ['HOTP is refused', `otpauth://hotp/Example:alice?secret=${JBSW}&counter=0`, 'unsupported_type'],
    ['HOTP without a counter is refused too', `otpauth://hotp/alice?secret=${JBSW}`, 'unsupported_type'],
    ['another OTP type', `otpauth://steam/alice?secret=${JBSW}`, 'unsupported_type'],
    ['Steam encoder', `otpauth://totp/Steam:alice?secret=${JBSW}&issuer=Steam&encoder=steam`, 'unsupported_type'],
    ['no type', `otpauth:///alice?secret=${JBSW}`, 'not_totp_uri'],
    ['no label', `otpauth://totp/?secret=${JBSW}`, 'not_totp_uri'],
    ['no slash before the query', `otpauth://totp?secret=${JBSW}`, 'not_totp_uri'],
    ['no query', 'otpauth://totp/alice', 'not_totp_uri'],
    ['no secret', 'otpauth://totp/alice?issuer=Example', 'not_totp_uri'],
    ['empty secret', 'otpauth://totp/alice?secret=', 'not_base32'],
    ['secret twice', `otpauth://totp/alice?secret=${JBSW}&secret=${RFC_SEEDS.SHA1.base32}`, 'not_totp_uri'],
    ['secret twice, differently cased', `otpauth://totp/alice?secret=${JBSW}&SECRET=${RFC_SEEDS.SHA1.base32}`, 'not_totp_uri'],
    ['issuer twice', `otpauth://totp/alice?secret=${JBSW}&issuer=A&issuer=B`, 'not_totp_uri'],
    ['empty parameter', `otpauth://totp/alice?secret=${JBSW}&&digits=6`, 'not_totp_uri'],
    ['parameter without a value', `otpauth://totp/alice?secret=${JBSW}&digits`, 'not_totp_uri'],
    ['broken percent-encoding', `otpauth://totp/alice?secret=${JBSW}&issuer=%E0%A4%A`, 'not_totp_uri'],
    ['broken percent-encoding in the label', `otpauth://totp/%E0%A4%A?secret=${JBSW}`, 'not_totp_uri'],
    ['a fragment', `otpauth://totp/alice?secret=${JBSW}#x`, 'not_totp_uri'],
    ['non-base32 secret in a URI', 'otpauth://totp/alice?secret=JBSWY3DPEHPK3PX1', 'not_base32'],
    ['spaced secret in a URI (machine-made, so strict)', 'otpauth://totp/alice?secret=JBSW%20Y3DP%20EHPK%203PXP', 'not_base32'],
    ['short secret in a URI', 'otpauth://totp/alice?secret=JBSWY3DP', 'secret_too_short'],
    ['MD5', `otpauth://totp/alice?secret=${JBSW}&algorithm=MD5`, 'unsupported_algorithm'],
    ['SHA224', `otpauth://totp/alice?secret=${JBSW}&algorithm=SHA224`, 'unsupported_algorithm'],
    ['SHA-256 spelt with a hyphen', `otpauth://totp/alice?secret=${JBSW}&algorithm=SHA-256`, 'unsupported_algorithm'],
    ['empty algorithm', `otpauth://totp/alice?secret=${JBSW}&algorithm=`, 'unsupported_algorithm'],
    ['5 digits', `otpauth://totp/alice?secret=${JBSW}&digits=5`, 'unsupported_digits'],
    ['9 digits', `otpauth://totp/alice?secret=${JBSW}&digits=9`, 'unsupported_digits'],
    ['10 digits', `otpauth://totp/alice?secret=${JBSW}&digits=10`, 'unsupported_digits'],
    ['digits with a leading zero', `otpauth://totp/alice?secret=${JBSW}&digits=06`, 'unsupported_digits'],
    ['digits as words', `otpauth://totp/alice?secret=${JBSW}&digits=six`, 'unsupported_digits'],
    ['period 0', `otpauth://totp/alice?secret=${JBSW}&period=0`, 'unsupported_period'],
    ['negative period', `otpauth://totp/alice?secret=${JBSW}&period=-30`, 'unsupported_period'],
    ['fractional period', `otpauth://totp/alice?secret=${JBSW}&period=30.5`, 'unsupported_period'],
    ['period with a leading zero', `otpauth://totp/alice?secret=${JBSW}&period=030`, 'unsupported_period'],
    ['period over an hour', `otpauth://totp/alice?secret=${JBSW}&period=3601`, 'unsupported_period'],
    ['empty period', `otpauth://totp/alice?secret=${JBSW}&period=`, 'unsupported_period'],
  ];

  test.each(INVALID)('refuses %s', (_why, input, error) => {
    expect(parseTotpInput(input)).toEqual({ ok: false, error });
  });

  test('a non-string is a programming error', () => {
    expect(() => parseTotpInput(undefined as unknown as string)).toThrow(TypeError);
    expect(() => parseTotpInput(42 as unknown as string)).toThrow(TypeError);
  });
});
