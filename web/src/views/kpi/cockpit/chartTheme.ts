/** Text and line colours of the cockpit's charts on the light page and on the dark big screen. */
export function chartTheme(dark: boolean) {
  return dark
    ? { text: '#cfd3dc', muted: '#8d9095', axis: '#4c4d4f', split: '#363637', palette: ['#58a6ff', '#3fb950', '#f0883e', '#d2a8ff', '#ff7b72', '#79c0ff'] }
    : { text: '#303133', muted: '#909399', axis: '#dcdfe6', split: '#ebeef5', palette: ['#409eff', '#67c23a', '#e6a23c', '#9b59b6', '#f56c6c', '#36cfc9'] }
}

/** Month-ends read as YYYY-MM; the last point (the as-of day) keeps its day. */
export const trendLabel = (day: string, i: number, n: number) => (i === n - 1 ? day : day.slice(0, 7))
