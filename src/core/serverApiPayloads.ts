/**
 * The Sealpost server's HTTP API, continued (./serverApi.ts is the contract; this part is
 * re-exported from it): where a message's encrypted payload is hosted and how it gets there.
 * docs/server.md, "Hosted payloads and link delivery", documents it for humans.
 */

/**
 * GET /api/v1/messages/:id/payload -> the hosted encrypted payload, binary
 * (`application/octet-stream`, `Content-Length`), streamed from the payload store; 404 while
 * there is none (never hosted, upload unfinished), 410 `expired`/`revoked` once it ended.
 */
export const PAYLOAD_CONTENT_TYPE = 'application/octet-stream';

// ---- link delivery: resumable upload of a registered message's payload (tus 1.0.0) ----------
// POST   /api/v1/uploads         (Bearer, the sender who registered the message with `upload`)
//        Tus-Resumable: 1.0.0, Upload-Defer-Length: 1 (or Upload-Length),
//        Upload-Metadata: messageId <base64 of the message id>   -> 201, Location: /api/v1/uploads/<id>
// HEAD   /api/v1/uploads/:id     (Bearer, same sender) -> Upload-Offset (resume after a cut)
// PATCH  /api/v1/uploads/:id     (Bearer, same sender) application/offset+octet-stream chunks;
//        the last one carries Upload-Length. 413 `payload-too-large` / `quota-exceeded` past the
//        size limit or the quotas, and the upload is deleted (start again with a new one).
// DELETE /api/v1/uploads/:id     (Bearer, same sender) -> 204: the upload and its bytes are gone.
// Errors are the usual `ApiError` JSON; someone else's upload or message is 404 like an unknown
// one; an upload of a revoked or expired message is deleted and answered 410.
// One upload per message; a message's payload is served only once its upload finished, and
// unfinished uploads are deleted after `payloads.unfinishedUploadHours`. On S3, PATCH chunks of
// at least 5 MiB (but the last) are stored as parts directly; smaller ones are gathered first.

// ---- hosted reader ----------------------------------------------------------------------------
// GET /r/:messageId  -> the reader HTML (same build as the attachment) in hosted mode: it reads
// the message id from the path and the mail share from `location.hash`, fetches
// /public and /payload, and never sends the hash to the server.
