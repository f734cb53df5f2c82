import { chromium } from 'playwright-core'
const L = JSON.parse(process.env.E2E_LOGINS)
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] })
const ctx = await browser.newContext({ baseURL: 'http://127.0.0.1:18700', viewport: { width: 1400, height: 900 } })
const page = await ctx.newPage()
await page.addInitScript(() => localStorage.setItem('chanrong.locale', 'en'))
await page.goto('/login')
await page.locator('[data-testid="login-username"]').fill('bank_admin')
await page.locator('[data-testid="login-password"]').fill(L.bank_admin)
await page.locator('[data-testid="login-submit"]').click()
await page.locator('[data-testid="page-home"]').waitFor()
for (const [p, n, f] of [['/workbench/board', 'board'], ['/workbench/loans', 'loans'], ['/workbench/products', 'form', async p => { await p.locator('[data-testid="product-create"]').click(); await p.waitForTimeout(300); await p.locator('[data-testid="product-rate-mode-lpr_spread"]').click() }]]) {
  await page.goto(p); await page.waitForTimeout(1000); if (f) { await f(page); await page.waitForTimeout(500) }
  await page.screenshot({ path: `/tmp/shots/y-${n}.png` })
}
await browser.close()
