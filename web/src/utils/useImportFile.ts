import { computed, ref, shallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import type { UploadFile, UploadInstance, UploadRawFile } from 'element-plus'
import { formatOf, MAX_UPLOAD_BYTES, type ImportJob } from '@/api/imports'
import { describeError } from '@/utils/http'

/**
 * Sends the chosen file; reports upload progress (0–100), then (for imports run as background jobs) each state of
 * the run through `onJob`, and stops when the signal aborts.
 */
export type ImportSender<T> = (
  file: File,
  onProgress: (p: number) => void,
  signal: AbortSignal,
  onJob: (job: ImportJob) => void
) => Promise<T>

/** "1.5 MB", "12 KB", "800 B". */
export const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : bytes >= 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${bytes} B`

/**
 * The file of a CSV/XLSX import and its runs: one file at a time from the el-upload of ImportUploadBox (which sets
 * `uploadRef`), checked for format and size, sent with progress and the means to stop it.
 */
export function useImportFile() {
  const { t } = useI18n()
  const uploadRef = shallowRef<UploadInstance | null>(null)
  const file = shallowRef<File | null>(null)
  const fileError = ref('')
  const running = ref(false)
  const progress = ref(0)
  const runError = ref('')
  /** The background run of the last send, as last seen (phase, rows); kept after it ends. */
  const job = shallowRef<ImportJob | null>(null)
  let aborter: AbortController | null = null

  function onFileChange(f: UploadFile) {
    const raw = f.raw as UploadRawFile | undefined
    fileError.value = ''
    runError.value = ''
    if (!raw) return
    if (!formatOf(raw.name)) {
      fileError.value = t('imports.badFormat')
      clearFile()
      return
    }
    if (raw.size > MAX_UPLOAD_BYTES) {
      fileError.value = t('imports.tooLarge', { mb: Math.floor(MAX_UPLOAD_BYTES / 1024 / 1024) })
      clearFile()
      return
    }
    file.value = raw
  }

  /** A second file replaces the first (limit 1). */
  function onExceed(files: File[]) {
    uploadRef.value?.clearFiles()
    uploadRef.value?.handleStart(files[0] as UploadRawFile)
  }

  function clearFile() {
    file.value = null
    uploadRef.value?.clearFiles()
  }

  /**
   * Sends the file and hands the answer to `done` (still while running); a failure lands in runError.
   * Without a file it only says one is needed.
   */
  async function run<T>(send: ImportSender<T>, done: (res: T) => void) {
    if (!file.value) {
      fileError.value = t('imports.fileRequired')
      return
    }
    running.value = true
    progress.value = 0
    runError.value = ''
    job.value = null
    aborter = new AbortController()
    try {
      const res = await send(file.value, p => (progress.value = p), aborter.signal, j => (job.value = j))
      done(res)
    } catch (err) {
      runError.value = describeError(err)
    } finally {
      running.value = false
      aborter = null
    }
  }

  function cancelRun() {
    aborter?.abort()
  }

  /** The file went up; the server is still reading and checking it (and has not said how far it is). */
  const processing = computed(() => running.value && progress.value >= 100 && !job.value)

  return { uploadRef, file, fileError, running, progress, runError, processing, job, onFileChange, onExceed, clearFile, run, cancelRun, sizeText }
}

export type ImportFileState = ReturnType<typeof useImportFile>
