// Tiny test double of the field registry: fields read straight from a plain object standing for an event.
import type { FieldDef, FieldRegistry, FieldType, FieldValue } from '../../src-main/engine/filter/index'
import { makeRegistry } from '../../src-main/engine/filter/index'

export interface FakeEvent {
  [field: string]: FieldValue | Record<string, string> | undefined
}

function plain(name: string, type: FieldType, extra: Partial<FieldDef<FakeEvent>> = {}): FieldDef<FakeEvent> {
  return {
    name,
    type,
    desc: name,
    arg: 'none',
    extract: (ev) => {
      const v = ev[name]
      return v === undefined || (typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array))
        ? undefined
        : (v as FieldValue)
    },
    ...extra
  }
}

export const fakeRegistry: FieldRegistry<FakeEvent> = (() => {
  return makeRegistry<FakeEvent>([
    plain('proc.name', 'string'),
    plain('proc.cmdline', 'string'),
    plain('fd.name', 'string'),
    plain('evt.type', 'string', {
      checkValue: (v) => (/^[a-z_0-9]+$/.test(v) ? undefined : `unknown event type ${v}`)
    }),
    plain('evt.res', 'string'),
    plain('proc.pid', 'int'),
    plain('evt.rawres', 'int'),
    plain('evt.num', 'uint'),
    plain('evt.rawtime', 'abstime'),
    plain('proc.duration', 'reltime'),
    plain('fd.sport', 'port'),
    plain('fd.connected', 'bool'),
    plain('fd.sip', 'ipaddr'),
    plain('fd.snet', 'ipnet', { filterOnly: true, noRhs: true }),
    plain('evt.buffer', 'bytes'),
    plain('fd.types', 'string', { isList: true, noRhs: true }),
    plain('fd.ip', 'ipaddr', { multi: 'either', filterOnly: true, noRhs: true, noTransformer: true }),
    plain('fd.net', 'ipnet', { multi: 'either', filterOnly: true, noRhs: true, noTransformer: true }),
    plain('fd.port', 'port', { multi: 'either', filterOnly: true, noRhs: true, noTransformer: true }),
    plain('proc.pname', 'string'),
    {
      name: 'proc.aname',
      type: 'string',
      desc: 'ancestors; [0] is the process itself',
      arg: 'optional',
      argKind: 'index',
      multi: 'any',
      noRhs: true,
      noTransformer: true,
      extract: (ev, arg) => {
        const chain = ev['proc.aname']
        if (!Array.isArray(chain)) return undefined
        if (arg === undefined) return chain.slice(1) as FieldValue
        return chain[Number(arg)] as FieldValue | undefined
      },
      render: (v) => (Array.isArray(v) ? v.join(' ') : String(v))
    },
    {
      name: 'proc.env',
      type: 'string',
      desc: 'environment, or one variable',
      arg: 'optional',
      extract: (ev, arg) => {
        const env = ev['proc.env'] as Record<string, string> | undefined
        if (env === undefined) return undefined
        if (arg === undefined)
          return Object.entries(env)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')
        return env[String(arg)]
      }
    },
    {
      // the registry defines only `evt.arg`; `evt.arg.NAME` reaches it as the dotted argument 'NAME'
      name: 'evt.arg',
      type: 'string',
      desc: 'parameter by index or name',
      arg: 'required',
      argKind: 'auto',
      extract: (ev, arg) => {
        const args = ev['evt.args'] as Record<string, string> | undefined
        if (args === undefined) return undefined
        return typeof arg === 'number' ? Object.values(args)[arg] : args[String(arg)]
      }
    }
  ])
})()
