import { Layout } from "../../components/Layout";
import { t } from "../../i18n";

/** For a device that is not signed in: how to join (the printed QR code), or sign in as staff. */
export function StartPage() {
  return (
    <Layout title={t("start.title")}>
      <div class="stack">
        <h1>{t("start.title")}</h1>
        <p>{t("start.lead")}</p>
        <p class="notice">{t("start.qr")}</p>
        <a class="btn primary big" href="/join">
          {t("start.code")}
        </a>
        <p>
          <a class="link-target" href="/login">
            {t("start.staff")}
          </a>
        </p>
      </div>
    </Layout>
  );
}
