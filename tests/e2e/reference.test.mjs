// Browser end-to-end test of 参考数据: an administrator adds and renames a district, sees a refused table of SME size
// thresholds explained line by line, publishes a new one and sees it in force, and adds a 4+4+6 mapping rule.
//
//   BASE_URL=http://localhost:18080 E2E_ADMIN_USER=admin E2E_ADMIN_PASSWORD='…' node --test reference.test.mjs
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'

import { ADMIN_USER, ADMIN_PASSWORD, TEST_TIMEOUT, withPage, waitUntil, byTestId, login, pick, text } from './browser.mjs'

const SHIPPED = readFileSync(new URL('../../data/sme-size-thresholds.csv', import.meta.url), 'utf8')
const INDUSTRY_ROW = '工业,Industry,B;C;D,X+Y,1000,40000,,300,2000,,20,300,'
const withIndustryRow = row => Buffer.from(SHIPPED.replace(INDUSTRY_ROW, row), 'utf8')

async function chooseCsv(page, name, bytes) {
  await byTestId(page, 'size-file').setInputFiles({ name, mimeType: 'text/csv', buffer: bytes })
}

test('an administrator maintains districts, publishes SME size thresholds and maps an industry code', { timeout: TEST_TIMEOUT }, async () => {
  assert.ok(SHIPPED.includes(INDUSTRY_ROW))
  const n = Math.floor(Math.random() * 90 + 10)
  const code = `3599${n}`
  const bound = 301 + Math.floor(Math.random() * 600) // a medium bound for 工业 between the small and large ones
  await withPage('reference-data', async page => {
    await login(page, ADMIN_USER, ADMIN_PASSWORD)
    await page.goto('/system/reference')
    await byTestId(page, 'page-reference').waitFor()

    // Districts: add one, then rename it (unused, so allowed).
    await byTestId(page, 'district-create').click()
    await byTestId(page, 'district-form-code').fill(code)
    await byTestId(page, 'district-form-name').fill(`测试${n}区`)
    await byTestId(page, 'district-form-submit').click()
    await byTestId(page, `district-row-${code}`).waitFor()
    await byTestId(page, `district-edit-${code}`).click()
    await byTestId(page, 'district-form-name').fill(`测试${n}新区`)
    await byTestId(page, 'district-form-submit').click()
    await waitUntil(async () => (await text(byTestId(page, `district-row-${code}`))) === `测试${n}新区`, 'the district was not renamed')
    // A district enterprises use cannot be renamed: the form shows why under the name.
    await byTestId(page, 'district-edit-350203').click()
    await byTestId(page, 'district-form-name').fill('思明新区')
    await byTestId(page, 'district-form-submit').click()
    await page.locator('.el-dialog .el-form-item__error', { hasText: '不能改名' }).waitFor()
    await page.keyboard.press('Escape')

    // Size thresholds: the table in force, a refused file, then a new version.
    await page.locator('#tab-size').click()
    const medium = byTestId(page, 'size-medium-工业')
    await medium.waitFor()
    assert.match(await text(medium), /^从业人员 ≥ \d+ 人且营业收入 ≥ 2000 万元$/)
    await byTestId(page, 'size-publish').click()
    await chooseCsv(page, 'bad.csv', withIndustryRow('工业,Industry,B;C;D,X+Y,1000,40000,,3000,2000,,20,300,'))
    await byTestId(page, 'size-note').fill('倒挂的表')
    await byTestId(page, 'size-publish-submit').click()
    await page.locator('.el-dialog .el-form-item__error', { hasText: '第 3 行' }).waitFor()
    await chooseCsv(page, 'new.csv', withIndustryRow(`工业,Industry,B;C;D,X+Y,1000,40000,,${bound},2000,,20,300,`))
    await byTestId(page, 'size-note').fill('E2E 修订')
    const published = page.waitForResponse(r => r.url().endsWith('/api/v1/size-thresholds/versions') && r.request().method() === 'POST')
    await byTestId(page, 'size-publish-submit').click()
    assert.equal((await published).status(), 201)
    await waitUntil(async () => (await text(medium)) === `从业人员 ≥ ${bound} 人且营业收入 ≥ 2000 万元`, 'the new bound is not shown')
    assert.match(await text(byTestId(page, 'size-current-version')), /E2E 修订/)
    assert.match(await text(byTestId(page, 'size-versions')), /随系统发布/)

    // 4+4+6: map a GB/T 4754 class to an industry of the newest version.
    await page.locator('#tab-taxonomy').click()
    await byTestId(page, 'taxonomy-mapping-create').click()
    await byTestId(page, 'taxonomy-mapping-form-prefix').fill('C3976')
    await pick(page, 'taxonomy-mapping-form-code', { text: 'F2' })
    await byTestId(page, 'taxonomy-mapping-form-note').fill('E2E 映射')
    await byTestId(page, 'taxonomy-mapping-form-submit').click()
    await waitUntil(async () => (await text(byTestId(page, 'taxonomy-mapping-C3976'))).startsWith('F2'), 'the mapping is not listed')
  })
})
