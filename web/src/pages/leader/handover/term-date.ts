import { serverLang } from "../../../i18n";

/** A term's JST date ("2027-04-01") as people write it: 「2027年4月1日」, or as is in English. */
export function termDate(date: string): string {
  if (serverLang() === "en") return date;
  const [y, m, d] = date.split("-").map(Number);
  return `${y}年${m}月${d}日`;
}
