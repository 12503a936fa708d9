/** Saves the incident report of the open capture through the browser's download (both hosts). */
import type { ReportFile, ReportFormatName } from '../../src-main/common/ipc-contract'
import { client } from './client'

export const FORMAT_LABEL: Record<ReportFormatName, string> = {
  html: 'HTML',
  md: 'Markdown',
  json: 'JSON',
  pdf: 'PDF'
}

/** The file's content: text as is, PDF decoded from its base64 transport. */
function reportBytes(f: ReportFile): BlobPart {
  if (f.encoding === 'utf8') return f.text
  const bin = atob(f.text)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

export async function downloadReport(format: ReportFormatName): Promise<void> {
  const f = await client.call('report.export', { format })
  const url = URL.createObjectURL(new Blob([reportBytes(f)], { type: f.mime }))
  const a = document.createElement('a')
  a.href = url
  a.download = f.filename
  a.click()
  window.setTimeout(() => {
    URL.revokeObjectURL(url)
  }, 1000)
}
