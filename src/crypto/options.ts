/**
 * Every crypto entry point takes one options object (modelled on openpgp.js
 * `encrypt()`); a misspelt option must fail loudly rather than silently fall back to a default,
 * because a silently ignored `config` or `date` changes what is produced.
 */
export function rejectUnknownOptions(
  functionName: string,
  options: object,
  allowed: readonly string[],
): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new TypeError(`${functionName}: unknown option '${key}'`);
    }
  }
}
