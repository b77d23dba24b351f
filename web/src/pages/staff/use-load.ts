// Loading one address for a screen: the answer, the error to show (the server's Japanese message), and a retry.
// A newer address replaces an older one still on its way (drilling down quickly never shows the older answer).
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../../api";
import { messageFor } from "./errors";

/** `keep`: show the previous answer until the next arrives (a table re-sorted by the server does not jump). */
export function useLoad<T>(url: string | null, keep = false) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef<string | null>(null);

  async function load() {
    if (!url) return;
    latest.current = url;
    setError(null);
    try {
      const answer = await api<T>(url);
      if (latest.current === url) setData(answer);
    } catch (e) {
      if (latest.current === url) setError(messageFor(e));
    }
  }
  useEffect(() => {
    if (!keep) setData(null);
    void load();
  }, [url]);

  return { data, error, reload: load, setData };
}
