// Shared by the browser suites: launches Debian's chromium through playwright-core (no browser download) for the
// calling test file, and gives each test a fresh page; on failure a screenshot, the page's HTML and its
// console/network errors are written to tests/e2e/artifacts/.
import { before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

export const BASE_URL = (process.env.BASE_URL || 'http://localhost:8080').replace(/\/+$/, '')
export const ADMIN_USER = process.env.E2E_ADMIN_USER || ''
export const ADMIN_PASSWORD = process.env.E2E_ADMIN_PASSWORD || ''
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url))
export const STEP_TIMEOUT = Number(process.env.E2E_STEP_TIMEOUT_MS || 15_000)
export const TEST_TIMEOUT = Number(process.env.E2E_TEST_TIMEOUT_MS || 180_000)

/** @type {import('playwright-core').Browser} */
let browser

before(async () => {
  assert.ok(ADMIN_USER && ADMIN_PASSWORD, 'set E2E_ADMIN_USER and E2E_ADMIN_PASSWORD to the administrator account')
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ]
  })
})

after(async () => {
  await browser?.close()
})

// ---- helpers ----------------------------------------------------------------------

/**
 * Run `body` with a fresh browser context and page (empty cookies and localStorage,
 * so the UI starts in its default language, 中文). On failure, save artifacts and rethrow.
 */
export async function withPage(name, body) {
  const context = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1400, height: 900 }, locale: 'zh-CN' })
  const page = await context.newPage()
  page.setDefaultTimeout(STEP_TIMEOUT)
  const log = []
  page.on('console', msg => {
    if (msg.type() === 'error' || msg.type() === 'warning') log.push(`[console.${msg.type()}] ${msg.text()}`)
  })
  page.on('pageerror', err => log.push(`[pageerror] ${err.stack || err.message}`))
  page.on('requestfailed', req => log.push(`[requestfailed] ${req.method()} ${req.url()} ${req.failure()?.errorText ?? ''}`))
  page.on('response', resp => {
    if (resp.status() >= 400 && resp.url().includes('/api/')) log.push(`[http ${resp.status()}] ${resp.request().method()} ${resp.url()}`)
  })
  try {
    await body(page)
  } catch (err) {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-')
    const base = `${ARTIFACTS}${name.replace(/[^\w-]+/g, '_')}-${stamp}`
    try {
      await mkdir(ARTIFACTS, { recursive: true })
      await page.screenshot({ path: `${base}.png`, fullPage: true })
      await writeFile(`${base}.html`, await page.content())
      await writeFile(`${base}.log`, [`url: ${page.url()}`, `error: ${err?.stack || err}`, '', ...log].join('\n'))
      console.error(`artifacts saved: ${base}.{png,html,log}`)
    } catch (saveErr) {
      console.error('could not save artifacts:', saveErr)
    }
    throw err
  } finally {
    await context.close()
  }
}

/** Poll `fn` until it returns a truthy value (or throw `message` after `timeout`). */
export async function waitUntil(fn, message, timeout = STEP_TIMEOUT) {
  const deadline = Date.now() + timeout
  let last
  for (;;) {
    try {
      last = await fn()
      if (last) return last
    } catch (err) {
      last = err
    }
    if (Date.now() > deadline) throw new Error(`${message} (timed out after ${timeout} ms; last: ${last})`)
    await new Promise(r => setTimeout(r, 200))
  }
}

export const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`)

/** Open the el-select with `testid` and click an option: by its test id (a string, or `{ optionTestId }`) or by the
 *  text it shows (`{ text }`). */
export async function pick(page, testid, option) {
  const { optionTestId, text: label } = typeof option === 'string' ? { optionTestId: option } : option
  await byTestId(page, testid).locator('.el-select__wrapper').click()
  const choice = optionTestId
    ? page.locator(`[data-testid="${optionTestId}"]:visible`)
    : page.locator('.el-select-dropdown__item:visible', { hasText: label })
  await choice.first().waitFor()
  await choice.first().click()
}

/** Fill an el-input-number and leave it, so the component takes the value. */
export async function fillNumber(page, testid, value) {
  const input = byTestId(page, testid).locator('input')
  await input.fill(String(value))
  await input.press('Tab')
}

/** Response predicates for page.waitForResponse: the method and a path pattern. */
export const isPost = (r, re) => r.request().method() === 'POST' && re.test(new URL(r.url()).pathname)
export const isGet = (r, re) => r.request().method() === 'GET' && re.test(new URL(r.url()).pathname)

/** The trimmed text of a locator. */
export const text = async locator => (await locator.innerText()).trim()

export async function login(page, username, password) {
  await page.goto('/login')
  await byTestId(page, 'login-username').fill(username)
  await byTestId(page, 'login-password').fill(password)
  const answer = page.waitForResponse(r => r.url().includes('/api/v1/auth/login') && r.request().method() === 'POST')
  await byTestId(page, 'login-submit').click()
  const resp = await answer
  if (resp.status() !== 200) {
    const shown = await byTestId(page, 'login-error').textContent().catch(() => '')
    throw new Error(`login as ${username} failed: HTTP ${resp.status()} ${shown}`)
  }
  const body = await resp.json()
  await byTestId(page, 'page-home').waitFor()
  await byTestId(page, 'sidebar-menu').waitFor()
  assert.ok(!new URL(page.url()).pathname.startsWith('/login'), 'still on the login page after logging in')
  return body.user
}
