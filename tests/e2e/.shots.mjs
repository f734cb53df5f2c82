import { chromium } from 'playwright-core'
const B = 'http://127.0.0.1:18700'
const L = JSON.parse(process.env.E2E_LOGINS)
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] })
async function as(user, pages, locale) {
  const ctx = await browser.newContext({ baseURL: B, viewport: { width: 1400, height: 900 } })
  const page = await ctx.newPage()
  page.on('pageerror', e => console.log('pageerror', user, e.message))
  page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') console.log('console', user, m.text().slice(0, 300)) })
  if (locale) await page.addInitScript(l => localStorage.setItem('chanrong.locale', l), locale)
  await page.goto('/login')
  await page.locator('[data-testid="login-username"]').fill(user)
  await page.locator('[data-testid="login-password"]').fill(L[user] ?? process.env.ADMINPW)
  await page.locator('[data-testid="login-submit"]').click()
  await page.locator('[data-testid="page-home"]').waitFor()
  for (const [path, name, extra] of pages) {
    await page.goto(path)
    await page.waitForTimeout(1200)
    if (extra) { await extra(page); await page.waitForTimeout(700) }
    await page.screenshot({ path: `/tmp/shots/${user}-${name}${locale ? '-' + locale : ''}.png`, fullPage: true })
  }
  await ctx.close()
}
const which = process.argv[2]
if (which === 'bank') await as('bank_admin', [
  ['/workbench/products', 'products'],
  ['/workbench/products', 'product-form', p => p.locator('[data-testid="product-create"]').click()],
  ['/workbench/products', 'product-form-elig', async p => { await p.locator('[data-testid="product-create"]').click(); await p.waitForTimeout(300); await p.locator('[data-testid="product-tab-eligibility"]').click() }],
  ['/workbench/leads', 'leads'],
  ['/workbench/board', 'board'],
  ['/workbench/applications/1', 'detail'],
  ['/workbench/applications/1', 'credit', p => p.locator('[data-testid="app-credit-profile"]').click()],
  ['/workbench/loans', 'loans'],
  ['/finance/products', 'market'],
])
if (which === 'ent') await as('enterprise', [
  ['/finance/demands', 'demands'],
  ['/finance/products', 'market'],
  ['/finance/products', 'apply', p => p.locator('[data-testid^="product-apply-"]').first().click()],
  ['/finance/applications', 'apps'],
  ['/finance/applications/1', 'detail'],
  ['/finance/consents', 'consents'],
  ['/finance/loans', 'loans'],
], process.argv[3])
if (which === 'admin') await as('admin', [
  ['/supervision/applications', 'apps'],
  ['/supervision/overdue', 'overdue'],
  ['/supervision/product-review', 'review'],
  ['/supervision/loans', 'loans'],
  ['/finance/products', 'market'],
])
await browser.close()
