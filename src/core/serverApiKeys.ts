/**
 * The Sealpost server's HTTP API, continued (./serverApi.ts is the contract; this part is
 * re-exported from it): the senders' OpenPGP public keys, published and looked up (docs/keys.md).
 */

// ---- senders' OpenPGP public keys (Bearer) ----------------------------------------------------
/**
 * PUT /api/v1/me/key — publishes the signed-in sender's own public key (armored, at most 64 KiB),
 * replacing any earlier one. Refused (400) unless it is a public key, readable, not revoked or
 * expired, able to encrypt, with a user ID of the sender's own address.
 */
export interface RegisterKeyRequest {
  publicKey: string;
}
export interface RegisterKeyResponse {
  /** Upper-case hex: 40 characters for a v4 key, 64 for a v6 key. */
  fingerprint: string;
  updatedAt: string;
}
// DELETE /api/v1/me/key (Bearer) -> 204; the sender's key is no longer looked up or published.
/** One published key: the sender's address, and the key as they uploaded it (public parts). */
export interface PublishedKey {
  address: string;
  fingerprint: string;
  /** Armored. */
  publicKey: string;
  updatedAt: string;
}
/** GET /api/v1/keys?address=<a>&address=<b> (1–100) -> the keys of those that have one. */
export interface KeyLookupResponse {
  keys: PublishedKey[];
}
// Web Key Directory (public, CORS `*`): the binary key of an organisation's sender, by the
// z-base-32 SHA-1 of the local part (src/core/wkd.ts); 404 for anything else.
// GET /.well-known/openpgpkey/:domain/hu/:hash[?l=]   (advanced)
// GET /.well-known/openpgpkey/hu/:hash[?l=]           (direct: the domain is the Host's)
// GET /.well-known/openpgpkey[/:domain]/policy        -> 200, empty
