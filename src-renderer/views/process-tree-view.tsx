import type { ReactNode } from 'react'
import { useQuery } from '../api/use-query'
import { useApp } from '../app/app-state'
import { ErrorBox, Link, Loading, Section } from '../widgets/bits'
import { TreeSvg } from './tree-svg'

export function ProcessTreeView(props: { focus: number | null }): ReactNode {
  const { status, window: win } = useApp()
  const q = useQuery('process.tree', { window: win, focus: props.focus }, status.generation)
  const focused = props.focus === null ? null : q.data?.nodes.find((n) => n.upid === props.focus)
  return (
    <Section
      title={props.focus === null ? 'Process tree' : 'Lineage'}
      extra={
        props.focus === null ? null : (
          <span className="more">
            {focused === undefined || focused === null ? null : (
              <Link to={{ view: 'process', upid: props.focus }}>details of {focused.name} →</Link>
            )}{' '}
            <Link to={{ view: 'tree', focus: null }}>whole tree</Link>
          </span>
        )
      }
    >
      <p className="muted">
        Click a name for the process details, a dot to fold its children; hover for the command line. Tab and
        Enter work too.
      </p>
      {q.error !== null ? <ErrorBox error={q.error} /> : null}
      {q.data === null ? (
        q.error === null ? (
          <Loading />
        ) : null
      ) : (
        <>
          {q.data.truncated ? <div className="note">The tree was cut at its size limit.</div> : null}
          <TreeSvg nodes={q.data.nodes} focus={props.focus} />
        </>
      )}
    </Section>
  )
}
