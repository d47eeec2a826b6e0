/**
 * The only module that imports openpgp. Everything here takes one options object, rejects
 * unknown options, and accepts an injectable `date` and `config`.
 */
export { generateSenderKey, type SenderKey, type SenderKeyOptions } from './senderKey.ts';
export { sealPayload, sealPayloadStream, type SealPayloadOptions } from './seal.ts';
export {
  openWithPassword,
  openWithPrivateKey,
  readWithPassword,
  type OpenResult,
  type ReadResult,
  type ReadWithPasswordOptions,
  type OpenWithPasswordOptions,
  type OpenWithPrivateKeyOptions,
} from './open.ts';
export {
  PRODUCTION_ARGON2_PARAMETERS,
  DEFAULT_OPEN_LIMITS,
  streamedDecompressionCap,
  type Argon2Parameters,
  type SealCryptoConfig,
  type OpenCryptoConfig,
  type OpenLimits,
} from './config.ts';
export {
  createKeyVault,
  unlockKeyVault,
  relockKeyVault,
  type KeyVault,
  type CreateKeyVaultOptions,
  type UnlockKeyVaultOptions,
  type RelockKeyVaultOptions,
  type UnlockKeyVaultResult,
  type RelockKeyVaultResult,
} from './keyVault.ts';
export {
  inspectPublicKey,
  binaryPublicKey,
  publicKeyParts,
  MAX_PUBLIC_KEY_BYTES,
  type PublicKeyInfo,
  type KeyProblem,
  type InspectedKey,
  type InspectPublicKeyOptions,
} from './publicKeys.ts';
export {
  exportPrivateKeys,
  restorePrivateKeys,
  MAX_KEY_BACKUP_BYTES,
  type ExportPrivateKeysOptions,
  type RestorePrivateKeysOptions,
  type RestorePrivateKeysResult,
  type RestoredKey,
  type RestoreProblem,
} from './keyBackup.ts';
