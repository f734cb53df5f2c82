// Checks the locale files: zh-CN and en have the same keys, and every message compiles
// with vue-i18n's message compiler (e.g. a bare "@" or "|" breaks a message at run time).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { baseCompile } from '@intlify/message-compiler'

const dir = fileURLToPath(new URL('../src/locales/', import.meta.url))

function load(file) {
  const source = readFileSync(dir + file, 'utf8')
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText
  const module = { exports: {} }
  new Function('module', 'exports', 'require', js)(module, module.exports, () => ({}))
  return module.exports.default
}

const locales = { 'zh-CN': load('zh-CN.ts'), en: load('en.ts') }
const problems = []

function walk(name, node, other, otherName, prefix) {
  for (const [key, value] of Object.entries(node)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (other?.[key] === undefined) problems.push(`${path}: in ${name} but not in ${otherName}`)
    if (value && typeof value === 'object') {
      walk(name, value, other?.[key], otherName, path)
    } else if (typeof value === 'string') {
      baseCompile(value, { onError: err => problems.push(`${name} ${path}: ${err.message} in ${JSON.stringify(value)}`) })
    } else {
      problems.push(`${name} ${path}: not a string`)
    }
  }
}

walk('zh-CN', locales['zh-CN'], locales.en, 'en', '')
walk('en', locales.en, locales['zh-CN'], 'zh-CN', '')

if (problems.length) {
  console.error(`locale check failed:\n  ${problems.join('\n  ')}`)
  process.exit(1)
}
console.log('locales ok')
