import { t } from "../i18n";

export function Loading() {
  return (
    <p role="status" aria-live="polite">
      {t("app.loading")}
    </p>
  );
}

export function ErrorNotice({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div class="notice error stack" role="alert">
      <p>{message}</p>
      {onRetry && (
        <button type="button" class="btn" onClick={onRetry}>
          {t("app.retry")}
        </button>
      )}
    </div>
  );
}
