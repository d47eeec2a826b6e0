/**
 * Offers `text` as a file download from an extension page: a Blob URL on a hidden
 * `<a download>`, clicked. Thunderbird saves it where the sender's downloads go (or asks).
 */
export function downloadText(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/pgp-keys' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later, not at once: the download reads the Blob after `click()` returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
