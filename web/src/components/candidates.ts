// The members a household may name (as its 要支援 supporters or its 見守り watcher): GET /api/support/candidates,
// names only, loaded once the form needs them. Shared by the support and watch forms.
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";

export interface Candidate {
  id: string;
  name: string;
}

/** The candidates (null until loaded), loaded the first time `needed` is true; a failure goes to `onError`. */
export function useCandidates(needed: boolean, onError: (e: unknown) => void): Candidate[] | null {
  const [candidates, setCandidates] = useState<Candidate[] | null>(null);
  useEffect(() => {
    if (!needed || candidates) return;
    api<{ members: Candidate[] }>("/api/support/candidates")
      .then((r) => setCandidates(r.members))
      .catch(onError);
  }, [needed]);
  return candidates;
}
