/**
 * A dependency-free SVG line chart (bench/src/chart.ts draws bars only): a few series over time on
 * shared linear axes from zero, with vertical markers and shaded bands (the soak's JWKS outages).
 */

export interface Series {
  readonly label: string;
  readonly color: string;
  readonly points: readonly (readonly [x: number, y: number])[];
}

export interface LineChartOptions {
  readonly xLabel: string;
  readonly yLabel: string;
  /** Dashed vertical lines, e.g. the end of the warm-up. */
  readonly markers?: readonly { readonly x: number; readonly label: string }[];
  /** Shaded x ranges, e.g. phases when the JWKS endpoint failed. */
  readonly bands?: readonly { readonly from: number; readonly to: number }[];
  readonly bandLabel?: string;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A round step giving about `target` ticks over `span`. */
function tickStep(span: number, target: number): number {
  const raw = span / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const factor of [1, 2, 5, 10]) if (factor * magnitude >= raw) return factor * magnitude;
  return 10 * magnitude;
}

/**
 * Render the chart.
 *
 * @example
 * lineChart('Memory', [{ label: 'RSS', color: '#d9480f', points: [[0, 50], [1, 52]] }], { xLabel: 's', yLabel: 'MiB' })
 */
export function lineChart(title: string, series: readonly Series[], options: LineChartOptions): string {
  const width = 760;
  const height = 360;
  const left = 56;
  const right = 16;
  const top = 52;
  const bottom = 40;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const all = series.flatMap((s) => s.points);
  const xMax = Math.max(1, ...all.map(([x]) => x));
  const yMax = Math.max(1, ...all.map(([, y]) => y)) * 1.08;
  const px = (x: number) => left + (x / xMax) * plotWidth;
  const py = (y: number) => top + plotHeight - (y / yMax) * plotHeight;
  const parts: string[] = [];

  for (const band of options.bands ?? []) {
    const x = px(band.from);
    parts.push(
      `<rect x="${x.toFixed(1)}" y="${top}" width="${(px(band.to) - x).toFixed(1)}" height="${plotHeight}" fill="#fff3bf"/>`,
    );
  }
  const xStep = tickStep(xMax, 8);
  for (let x = 0; x <= xMax; x += xStep) {
    parts.push(
      `<line x1="${px(x).toFixed(1)}" y1="${top + plotHeight}" x2="${px(x).toFixed(1)}" y2="${top + plotHeight + 4}" stroke="#495057"/>`,
      `<text x="${px(x).toFixed(1)}" y="${top + plotHeight + 16}" text-anchor="middle">${x}</text>`,
    );
  }
  const yStep = tickStep(yMax, 6);
  for (let y = 0; y <= yMax; y += yStep) {
    parts.push(
      `<line x1="${left}" y1="${py(y).toFixed(1)}" x2="${left + plotWidth}" y2="${py(y).toFixed(1)}" stroke="#e9ecef"/>`,
      `<text x="${left - 6}" y="${(py(y) + 4).toFixed(1)}" text-anchor="end">${y}</text>`,
    );
  }
  parts.push(
    `<line x1="${left}" y1="${top + plotHeight}" x2="${left + plotWidth}" y2="${top + plotHeight}" stroke="#495057"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotHeight}" stroke="#495057"/>`,
    `<text x="${left + plotWidth / 2}" y="${height - 6}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text x="14" y="${top + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 14 ${top + plotHeight / 2})">${escapeXml(options.yLabel)}</text>`,
  );
  for (const marker of options.markers ?? []) {
    const x = px(marker.x).toFixed(1);
    parts.push(
      `<line x1="${x}" y1="${top}" x2="${x}" y2="${top + plotHeight}" stroke="#495057" stroke-dasharray="4 3"/>`,
      `<text x="${Number(x) + 4}" y="${top + 12}">${escapeXml(marker.label)}</text>`,
    );
  }
  for (const s of series) {
    const path = s.points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${px(x).toFixed(1)},${py(y).toFixed(1)}`);
    parts.push(`<path d="${path.join('')}" fill="none" stroke="${s.color}" stroke-width="1.5"/>`);
  }
  // Legend across the top, under the title.
  let legendX = left;
  const legend = [...series.map((s) => ({ label: s.label, color: s.color, band: false }))];
  if (options.bands !== undefined && options.bandLabel !== undefined) {
    legend.push({ label: options.bandLabel, color: '#fff3bf', band: true });
  }
  for (const item of legend) {
    parts.push(
      item.band
        ? `<rect x="${legendX}" y="30" width="18" height="10" fill="${item.color}" stroke="#e0c060"/>`
        : `<line x1="${legendX}" y1="35" x2="${legendX + 18}" y2="35" stroke="${item.color}" stroke-width="2"/>`,
      `<text x="${legendX + 24}" y="39">${escapeXml(item.label)}</text>`,
    );
    legendX += 24 + item.label.length * 6.5 + 18;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
    ...parts,
    '</svg>',
  ].join('\n');
}
