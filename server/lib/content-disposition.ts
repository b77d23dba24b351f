// RFC 6266 Content-Disposition with an ASCII fallback and the real (Japanese) name in UTF-8 (RFC 8187).
export function contentDisposition(kind: "inline" | "attachment", fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  // RFC 8187 allows only attr-chars unencoded: encodeURIComponent leaves ' ( ) * as they are, and a ' would end
  // the charset''language prefix early (「お知らせ(1).pdf」 is a common name).
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
