// Two small charts drawn by hand as inline SVG (no chart library): a line chart of rates and a bar chart of counts.
// Each SVG is one image to assistive technology (role="img", <title> and <desc> naming it and saying what it
// shows); the numbers themselves are in the table beside it. Lines differ by pattern and marker shape as well as
// colour, and are labelled at their ends, so colour is never the only way to tell them apart.

const W = 720;
const H = 300;
const M = { l: 58, r: 118, t: 18, b: 46 };
const PW = W - M.l - M.r;
const PH = H - M.t - M.b;

const xAt = (i: number, n: number) => M.l + (n <= 1 ? PW / 2 : (i * PW) / (n - 1));

/** Which x positions get a label: every fourth week, counted back from the latest so that it is always labelled. */
const labelled = (i: number, n: number) => (n - 1 - i) % 4 === 0;

function XLabels({ labels, x }: { labels: string[]; x: (i: number) => number }) {
  return (
    <g class="chart-axis">
      {labels.map((l, i) =>
        labelled(i, labels.length) ? (
          <text key={i} x={x(i)} y={H - M.b + 24} text-anchor="middle">
            {l}
          </text>
        ) : null,
      )}
    </g>
  );
}

function YGrid({ ticks, y, format }: { ticks: number[]; y: (v: number) => number; format: (v: number) => string }) {
  return (
    <g class="chart-axis">
      {ticks.map((v) => (
        <g key={v}>
          <line class="chart-grid" x1={M.l} x2={W - M.r} y1={y(v)} y2={y(v)} />
          <text x={M.l - 8} y={y(v) + 5} text-anchor="end">
            {format(v)}
          </text>
        </g>
      ))}
    </g>
  );
}

export interface LineSeries {
  key: string;
  label: string;
  values: (number | null)[];
  /** CSS class: colour and line pattern (city.css). */
  cls: string;
  marker: "circle" | "square";
}

/** Path segments through the points, broken where a week has no figure. */
function pathOf(values: (number | null)[], x: (i: number) => number, y: (v: number) => number): string {
  let d = "";
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    d += `${pen ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  });
  return d;
}

/** End labels at least `gap` apart, so two lines ending close together keep readable names. */
function spread(ys: number[], gap: number): number[] {
  const order = ys.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y);
  for (let k = 1; k < order.length; k++) if (order[k]!.y - order[k - 1]!.y < gap) order[k]!.y = order[k - 1]!.y + gap;
  const out = [...ys];
  for (const o of order) out[o.i] = o.y;
  return out;
}

/** Rates (0..1) over the weeks, one line per series. */
export function LineChart(p: { id: string; title: string; desc: string; labels: string[]; series: LineSeries[] }) {
  const n = p.labels.length;
  const x = (i: number) => xAt(i, n);
  const y = (v: number) => M.t + PH * (1 - Math.max(0, Math.min(1, v)));
  const ends = p.series.map((s) => {
    let i = s.values.length - 1;
    while (i >= 0 && s.values[i] === null) i--;
    return i;
  });
  const endYs = spread(
    p.series.map((s, k) => (ends[k]! >= 0 ? y(s.values[ends[k]!]!) + 5 : -100)),
    20,
  );
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-labelledby={`${p.id}-title`}
      aria-describedby={`${p.id}-desc`}
    >
      <title id={`${p.id}-title`}>{p.title}</title>
      <desc id={`${p.id}-desc`}>{p.desc}</desc>
      <YGrid ticks={[0, 0.25, 0.5, 0.75, 1]} y={y} format={(v) => `${Math.round(v * 100)}%`} />
      <line class="chart-baseline" x1={M.l} x2={W - M.r} y1={y(0)} y2={y(0)} />
      <XLabels labels={p.labels} x={x} />
      {p.series.map((s, k) => (
        <g key={s.key} class={`chart-series ${s.cls}`}>
          <path class="chart-line" d={pathOf(s.values, x, y)} />
          {s.values.map((v, i) =>
            v === null ? null : s.marker === "circle" ? (
              <circle key={i} class="chart-marker" cx={x(i)} cy={y(v)} r={5} />
            ) : (
              <rect key={i} class="chart-marker" x={x(i) - 4.5} y={y(v) - 4.5} width={9} height={9} />
            ),
          )}
          {ends[k]! >= 0 && (
            <text class="chart-end-label" x={x(ends[k]!) + 12} y={endYs[k]}>
              {s.label}
            </text>
          )}
        </g>
      ))}
    </svg>
  );
}

/** A round top for the bar chart's scale: 1, 2 or 5 times a power of ten, in four steps. */
export function niceScale(max: number): { top: number; step: number } {
  if (!(max > 0)) return { top: 4, step: 1 };
  const rough = max / 4;
  const pow = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= rough) ?? 10 * pow;
  const stepInt = Math.max(1, step);
  return { top: Math.ceil(max / stepInt) * stepInt, step: stepInt };
}

/** Counts over the weeks as bars; the latest week's value written above its bar. */
export function BarChart(p: {
  id: string;
  title: string;
  desc: string;
  labels: string[];
  values: (number | null)[];
  format: (v: number) => string;
}) {
  const n = p.labels.length;
  const band = PW / Math.max(1, n);
  const x = (i: number) => M.l + band * (i + 0.5);
  const { top, step } = niceScale(Math.max(0, ...p.values.map((v) => v ?? 0)));
  const y = (v: number) => M.t + PH * (1 - v / top);
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, k) => k * step);
  const last = n - 1;
  const lastValue = p.values[last];
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-labelledby={`${p.id}-title`}
      aria-describedby={`${p.id}-desc`}
    >
      <title id={`${p.id}-title`}>{p.title}</title>
      <desc id={`${p.id}-desc`}>{p.desc}</desc>
      <YGrid ticks={ticks} y={y} format={(v) => v.toLocaleString("ja-JP")} />
      <g class="chart-bars">
        {p.values.map((v, i) =>
          v === null || v <= 0 ? null : (
            <rect
              key={i}
              class={i === last ? "chart-bar latest" : "chart-bar"}
              x={x(i) - band * 0.35}
              y={y(v)}
              width={band * 0.7}
              height={y(0) - y(v)}
            />
          ),
        )}
      </g>
      <line class="chart-baseline" x1={M.l} x2={W - M.r} y1={y(0)} y2={y(0)} />
      <XLabels labels={p.labels} x={x} />
      {lastValue !== null && lastValue !== undefined && (
        <text class="chart-end-label" x={x(last) + band * 0.35 + 8} y={y(lastValue) + 5}>
          {p.format(lastValue)}
        </text>
      )}
    </svg>
  );
}
