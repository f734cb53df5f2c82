import { chromium } from 'playwright-core'
const B = 'http://127.0.0.1:18700'
const L = JSON.parse(process.env.E2E_LOGINS)
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] })
async function as(user, steps, locale) {
  const ctx = await browser.newContext({ baseURL: B, viewport: { width: 1400, height: 900 } })
  const page = await ctx.newPage()
  page.on('pageerror', e => console.log('pageerror', user, e.message))
  page.on('console', m => { if ((m.type() === 'error' || m.type() === 'warning') && !m.text().includes('401')) console.log('console', user, m.text().slice(0, 300)) })
  if (locale) await page.addInitScript(l => localStorage.setItem('chanrong.locale', l), locale)
  await page.goto('/login')
  await page.locator('[data-testid="login-username"]').fill(user)
  await page.locator('[data-testid="login-password"]').fill(L[user])
  await page.locator('[data-testid="login-submit"]').click()
  await page.locator('[data-testid="page-home"]').waitFor()
  for (const [name, fn] of steps) {
    await fn(page)
    await page.waitForTimeout(900)
    await page.screenshot({ path: `/tmp/shots/x-${user}-${name}${locale ? '-' + locale : ''}.png` })
  }
  await ctx.close()
}
const go = p => async page => page.goto(p)
await as('enterprise', [
  ['rejected', go('/finance/applications/3')],
  ['alt', async p => { await p.locator('[data-testid^="application-alternative-"]').first().click() }],
  ['consent', async p => { await p.goto('/finance/applications/4'); await p.waitForTimeout(800); await p.locator('[data-testid="app-consent"]').click() }],
], process.argv[2])
await as('bank_admin', [
  ['leads', go('/workbench/leads')],
  ['take', async p => { await p.locator('[data-testid^="lead-take-"]').first().click() }],
  ['board', go('/workbench/board')],
  ['app4', go('/workbench/applications/4')],
  ['reject', async p => { await p.locator('[data-testid="app-action-accept"]').click(); await p.waitForTimeout(300); await p.locator('[data-testid="app-event-submit"]').click(); await p.waitForTimeout(800); await p.locator('[data-testid="app-action-reject"]').click() }],
  ['credit403', async p => { await p.goto('/workbench/applications/3'); await p.waitForTimeout(700); await p.locator('[data-testid="app-credit-profile"]').click() }],
], process.argv[2])
await browser.close()
