import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import * as ElementPlusIconsVue from '@element-plus/icons-vue'
import 'element-plus/dist/index.css'
import 'element-plus/theme-chalk/dark/css-vars.css'
import './styles/index.css'

import App from './App.vue'
import { pinia } from './store'
import { router } from './router'
import { i18n, currentLocale } from './locales'
import { perm } from './directives/perm'

const app = createApp(App)
for (const [name, component] of Object.entries(ElementPlusIconsVue)) {
  app.component(name, component)
}
app.use(pinia)
app.use(i18n)
app.use(router)
app.use(ElementPlus)
app.directive('perm', perm)

document.documentElement.lang = currentLocale()
app.mount('#app')
