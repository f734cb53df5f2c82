// Copies Swagger UI's two files from swagger-ui-dist into dist/api-docs/, where the server serves /api/docs/*.
import { copyFileSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
const source = dirname(require.resolve('swagger-ui-dist/package.json'))
const target = new URL('../dist/api-docs/', import.meta.url).pathname
mkdirSync(target, { recursive: true })
for (const file of ['swagger-ui.css', 'swagger-ui-bundle.js']) copyFileSync(join(source, file), join(target, file))
console.log('api docs assets →', target)
