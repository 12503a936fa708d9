/**
 * Events `sysdig -r` 0.29.3 never prints (libs category EC_INTERNAL): process-info snapshots, container, k8s
 * and mesos metadata, notifications and infrastructure events. They are indexed (state and numbering need
 * them) but flagged hidden, so the views list exactly what sysdig prints.
 */
export const HIDDEN_EVENT_CODES: ReadonlySet<number> = new Set([
  228,
  229, // container
  234,
  235, // procinfo
  260,
  261, // k8s
  270,
  271, // mesos
  272,
  273, // container (json)
  280,
  281, // notification
  286,
  287, // infra
  324,
  325 // container (json 2)
])
