/**
 * The type of an uploaded file from its first bytes, never from its name or the client's header. A small allowlist
 * of what evidence really is (documents, images, archives, text exports); anything else is refused with 415.
 * Hand-written because we need only these few signatures: file-type, the usual library (v16 is CommonJS, later
 * versions ESM-only), detects hundreds of formats we would refuse anyway.
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

/**
 * Markup (HTML, SVG, XML) is refused: opened from disk it runs script. Text is markup when, after a BOM and
 * whitespace, it begins with a comment, doctype or CDATA (`<!`), a prolog or processing instruction (`<?`), or a
 * start tag; a leading comment or prolog therefore cannot hide the root element behind it, however long it is.
 */
const MARKUP = /^\s*<(?:[!?]|[a-z][a-z0-9-]*(?:[\s/>:]|$))/i;

/** Names whose extension makes an operating system or browser run or render the file when it is opened. */
const ACTIVE_EXTENSIONS = new Set([
  'exe',
  'com',
  'scr',
  'pif',
  'cpl',
  'msi',
  'msp',
  'dll',
  'bat',
  'cmd',
  'ps1',
  'psm1',
  'vbs',
  'vbe',
  'js',
  'mjs',
  'jse',
  'wsf',
  'wsh',
  'hta',
  'chm',
  'lnk',
  'url',
  'inf',
  'reg',
  'jar',
  'sh',
  'php',
  'desktop',
  'html',
  'htm',
  'xhtml',
  'xht',
  'shtml',
  'mht',
  'mhtml',
  'svg',
  'svgz',
  'xml',
  'xsl',
  'xslt',
]);

/** Bidirectional controls (ALM, LRM/RLM, embeddings and overrides, isolates): "evil\u202Elmth.txt" shows as "eviltxt.html". */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

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
    if (MARKUP.test(text)) return null;
    const trimmed = text.trimStart();
    if ((trimmed.startsWith('{') || trimmed.startsWith('[')) && /\.json$/i.test(clientName))
      return { mediaType: 'application/json', extension: 'json' };
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
 * refused: the mismatch is what a spoofing attempt looks like. Generic claims (octet-stream, text) are fine. The name
 * is judged as it will be stored and downloaded (after safeFileName), so characters the sanitiser drops
 * ("evil.html*", "evil.html\0") cannot hide an extension, and names with bidi controls are refused outright.
 */
export function contradictsClaim(
  detected: DetectedType,
  claimedMediaType: string | undefined,
  clientName: string,
): string | null {
  if (BIDI_CONTROLS.test(clientName))
    return 'the file name contains bidirectional control characters, which can disguise its extension';
  const claim = (claimedMediaType ?? '').toLowerCase().split(';')[0].trim();
  const family = CLAIM_FAMILIES[claim];
  if (family && !family.includes(detected.mediaType))
    return `declared as ${claim} but the content is ${detected.mediaType}`;
  const extension = safeFileName(clientName, detected.extension)
    .toLowerCase()
    .match(/\.([a-z0-9]{1,8})$/)?.[1];
  const byExtension: Record<string, string> = {
    pdf: 'application/pdf',
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    gif: 'image/gif',
  };
  if (extension && byExtension[extension] && byExtension[extension] !== detected.mediaType) {
    return `named .${extension} but the content is ${detected.mediaType}`;
  }
  if (extension && ACTIVE_EXTENSIONS.has(extension)) return `.${extension} files are not accepted as evidence`;
  return null;
}

/**
 * A display name safe for headers and listings: last path segment, no control (C0, C1) or quote characters, no leading dots,
 * no trailing dots or spaces (Windows drops them on save, so "x.html." would open as HTML), bounded.
 */
export function safeFileName(clientName: string, fallbackExtension: string): string {
  const base = clientName.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- stripping control characters from file names is the point
    .replace(/[\u0000-\u001f\u007f-\u009f"<>|:*?]/g, '')
    .replace(/^\.+/, '')
    .slice(0, 150)
    .replace(/[.\s]+$/, '')
    .trim();
  return cleaned || `evidence.${fallbackExtension}`;
}
