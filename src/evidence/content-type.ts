/**
 * The type of an uploaded file from its first bytes, never from its name or the client's header. A small allowlist
 * of what evidence really is (documents, images, archives, text exports); anything else is refused with 415.
 * Hand-written because file-type, the usual library, is ESM-only and cannot load under our CommonJS + Jest build,
 * and we need only these few signatures.
 */
export interface DetectedType {
  mediaType: string;
  extension: string;
}

const SIGNATURES: Array<{ bytes: number[]; offset?: number; type: DetectedType }> = [
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], type: { mediaType: 'application/pdf', extension: 'pdf' } },
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], type: { mediaType: 'image/png', extension: 'png' } },
  { bytes: [0xff, 0xd8, 0xff], type: { mediaType: 'image/jpeg', extension: 'jpg' } },
  { bytes: [0x47, 0x49, 0x46, 0x38], type: { mediaType: 'image/gif', extension: 'gif' } },
  { bytes: [0x50, 0x4b, 0x03, 0x04], type: { mediaType: 'application/zip', extension: 'zip' } },
];

const REFUSED_TEXT = /^\s*(<!doctype\s+html|<html|<svg|<script|<\?xml[^>]*>\s*<svg)/i;

function startsWith(head: Buffer, bytes: number[], offset = 0): boolean {
  return head.length >= offset + bytes.length && bytes.every((b, i) => head[offset + i] === b);
}

function isUtf8Text(head: Buffer, complete: boolean): boolean {
  if (head.includes(0)) return false;
  // A multi-byte character may be cut at the end of the sniffed window; only a complete file must decode fully.
  const sample = complete ? head : head.subarray(0, Math.max(0, head.length - 4));
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample);
    return true;
  } catch {
    return false;
  }
}

/** null when the content is not an accepted type. */
export function detectType(head: Buffer, complete: boolean, clientName: string): DetectedType | null {
  for (const signature of SIGNATURES) if (startsWith(head, signature.bytes, signature.offset)) return signature.type;
  if (head.length > 0 && isUtf8Text(head, complete)) {
    const text = head.toString('utf8');
    if (REFUSED_TEXT.test(text)) return null;
    const trimmed = text.trimStart();
    if ((trimmed.startsWith('{') || trimmed.startsWith('[')) && /\.json$/i.test(clientName)) return { mediaType: 'application/json', extension: 'json' };
    if (/\.csv$/i.test(clientName)) return { mediaType: 'text/csv', extension: 'csv' };
    if (/\.md$/i.test(clientName)) return { mediaType: 'text/markdown', extension: 'md' };
    return { mediaType: 'text/plain', extension: 'txt' };
  }
  return null;
}

const CLAIM_FAMILIES: Record<string, string[]> = {
  'application/pdf': ['application/pdf'],
  'image/png': ['image/png'],
  'image/jpeg': ['image/jpeg'],
  'image/gif': ['image/gif'],
};

/**
 * A client that names a specific type which the content contradicts (a ".pdf" that is really a PNG or a script) is
 * refused: the mismatch is what a spoofing attempt looks like. Generic claims (octet-stream, text) are fine.
 */
export function contradictsClaim(detected: DetectedType, claimedMediaType: string | undefined, clientName: string): string | null {
  const claim = (claimedMediaType ?? '').toLowerCase().split(';')[0].trim();
  const family = CLAIM_FAMILIES[claim];
  if (family && !family.includes(detected.mediaType)) return `declared as ${claim} but the content is ${detected.mediaType}`;
  const extension = clientName.toLowerCase().match(/\.([a-z0-9]{1,8})$/)?.[1];
  const byExtension: Record<string, string> = { pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif' };
  if (extension && byExtension[extension] && byExtension[extension] !== detected.mediaType) {
    return `named .${extension} but the content is ${detected.mediaType}`;
  }
  if (extension && ['exe', 'dll', 'sh', 'bat', 'cmd', 'js', 'html', 'htm', 'svg', 'php'].includes(extension)) {
    return `.${extension} files are not accepted as evidence`;
  }
  return null;
}

/** A display name safe for headers and listings: last path segment, no control or quote characters, bounded. */
export function safeFileName(clientName: string, fallbackExtension: string): string {
  const base = clientName.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 150);
  return cleaned || `evidence.${fallbackExtension}`;
}
