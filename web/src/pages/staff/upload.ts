// The one request fetch cannot do, for leaders' and the city's drafts alike: an upload that reports its progress
// (XMLHttpRequest's upload.onprogress).
import { ApiError, OfflineError, type Attachment } from "../../api";

function apiErrorFrom(status: number, text: string): ApiError {
  let e: { code?: string; message?: string; messageEn?: string; fields?: [] } | undefined;
  try {
    e = (JSON.parse(text) as { error?: typeof e }).error;
  } catch {
    e = undefined;
  }
  return new ApiError(
    status,
    e?.code ?? `http_${status}`,
    e?.message ?? "エラーが起きました。",
    e?.messageEn ?? "Something went wrong.",
    e?.fields ?? [],
  );
}

/**
 * POSTs one file as multipart `file` to `url`. fetch() cannot report upload progress, so this uses XMLHttpRequest;
 * `onProgress` gets the share sent so far (0..1). Rejects with ApiError (the server's message) or OfflineError.
 */
export function uploadFile(url: string, file: File, onProgress: (share: number) => void): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener("load", () => {
      if (xhr.status === 201) {
        onProgress(1);
        resolve(JSON.parse(xhr.responseText) as Attachment);
      } else reject(apiErrorFrom(xhr.status, xhr.responseText));
    });
    xhr.addEventListener("error", () => reject(new OfflineError("offline")));
    const form = new FormData();
    form.append("file", file);
    xhr.send(form);
  });
}
