import { useEffect, useState } from 'react'
import type { ReactNode } from 'react'
import { REPORT_FORMATS } from '../../src-main/common/ipc-contract'
import type { AnalystNotes, ReportFormatName } from '../../src-main/common/ipc-contract'
import { client } from '../api/client'
import { downloadReport, FORMAT_LABEL } from '../api/download-report'
import { useApp } from '../app/app-state'
import { ErrorBox, Loading, Section } from '../widgets/bits'
import { useAction } from '../widgets/use-action'

/**
 * The incident report: the analyst's title and notes (saved with the capture's index, so every later
 * report of it — here or `peregrine report` — carries them) and the export buttons.
 */
export function ReportView(): ReactNode {
  const { status } = useApp()
  const [saved, setSaved] = useState<AnalystNotes | null>(null)
  const [draft, setDraft] = useState<AnalystNotes>({ title: '', notes: '' })
  const { busy, error, setError, run } = useAction()
  useEffect(() => {
    client.call('report.notes', {}).then(
      (n) => {
        setSaved(n)
        setDraft(n)
      },
      (e: unknown) => {
        setError(e instanceof Error ? e.message : String(e))
      }
    )
  }, [status.path, setError])
  if (saved === null) return error === null ? <Loading /> : <ErrorBox error={error} />
  const dirty = draft.title !== saved.title || draft.notes !== saved.notes
  const save = (): Promise<void> => client.call('report.setNotes', draft).then(setSaved)
  const exportAs = (f: ReportFormatName): Promise<void> =>
    // unsaved edits go into the report the analyst is exporting
    (dirty ? save() : Promise.resolve()).then(() => downloadReport(f))
  return (
    <div className="grid report">
      <Section title="Title and analyst notes">
        <form
          className="notes-form"
          onSubmit={(e) => {
            e.preventDefault()
            run(save())
          }}
        >
          <label>
            Title
            <input
              type="text"
              value={draft.title}
              maxLength={500}
              placeholder={`Incident report: ${status.path?.split(/[\\/]/).pop() ?? ''}`}
              data-testid="report-title"
              onChange={(e) => {
                setDraft({ ...draft, title: e.target.value })
              }}
            />
          </label>
          <label>
            Analyst notes (plain text; shown as text in the report)
            <textarea
              value={draft.notes}
              rows={14}
              data-testid="report-notes"
              onChange={(e) => {
                setDraft({ ...draft, notes: e.target.value })
              }}
            />
          </label>
          <div className="toolbar">
            <button type="submit" disabled={busy || !dirty} data-testid="report-save">
              Save
            </button>
            <span className="muted" data-testid="report-saved">
              {dirty ? 'unsaved changes' : 'saved with the capture'}
            </span>
          </div>
        </form>
      </Section>
      <Section title="Export">
        <div className="toolbar">
          {REPORT_FORMATS.map((f) => (
            <button
              key={f}
              type="button"
              disabled={busy}
              data-testid={`report-export-${f}`}
              onClick={() => {
                run(exportAs(f))
              }}
            >
              {FORMAT_LABEL[f]}
            </button>
          ))}
        </div>
        {error === null ? null : <ErrorBox error={error} />}
      </Section>
    </div>
  )
}
