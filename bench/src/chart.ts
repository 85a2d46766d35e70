/**
 * A dependency-free SVG bar chart of the benchmark ratios, linked from the README. Bars are
 * ratios (× crypto.verify for verification, × no-auth for HTTP), so the chart reads the same on
 * any machine.
 */

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly ours: boolean;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Horizontal bars on a linear scale capped at `cap` (values above are drawn at the cap, marked ▸). */
export function barChart(title: string, bars: readonly Bar[], cap: number, unit: string): string {
  const rowHeight = 22;
  const labelWidth = 330;
  const barWidth = 380;
  const top = 34;
  const height = top + bars.length * rowHeight + 12;
  const rows = bars.map((bar, i) => {
    const y = top + i * rowHeight;
    const width = Math.max(1, (Math.min(bar.value, cap) / cap) * barWidth);
    const text = `${bar.value >= 10 ? bar.value.toFixed(0) : bar.value.toFixed(2)}${unit}${bar.value > cap ? ' ▸' : ''}`;
    return [
      `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${escapeXml(bar.label)}</text>`,
      `<rect x="${labelWidth}" y="${y + 3}" width="${width.toFixed(1)}" height="16" fill="${bar.ours ? '#d9480f' : '#868e96'}"/>`,
      `<text x="${labelWidth + width + 6}" y="${y + 15}">${text}</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${labelWidth + barWidth + 90}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
    ...rows,
    '</svg>',
  ].join('\n');
}
