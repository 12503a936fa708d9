/**
 * MITRE ATT&CK (Enterprise) names for the tactic tags (`mitre_*`) and technique ids (`T1234[.001]`) that
 * Peregrine's default rules and the published Falco rules (0.26 – current) carry, as data. Ids not in the
 * table are still reported, with the name left null; a sub-technique missing from the table falls back to
 * its parent technique's name.
 */

export interface Tactic {
  /** the Falco tag, e.g. "mitre_execution" */
  tag: string
  /** ATT&CK id, e.g. "TA0002"; null for Falco's mitre_* tags that are not ATT&CK tactics */
  id: string | null
  name: string
}

export interface Technique {
  id: string
  name: string | null
  /** for a sub-technique: the parent technique's name */
  parentName: string | null
}

const TACTICS: Record<string, [string | null, string]> = {
  mitre_reconnaissance: ['TA0043', 'Reconnaissance'],
  mitre_resource_development: ['TA0042', 'Resource Development'],
  mitre_initial_access: ['TA0001', 'Initial Access'],
  mitre_execution: ['TA0002', 'Execution'],
  mitre_persistence: ['TA0003', 'Persistence'],
  mitre_privilege_escalation: ['TA0004', 'Privilege Escalation'],
  mitre_defense_evasion: ['TA0005', 'Defense Evasion'],
  mitre_credential_access: ['TA0006', 'Credential Access'],
  mitre_discovery: ['TA0007', 'Discovery'],
  mitre_lateral_movement: ['TA0008', 'Lateral Movement'],
  mitre_collection: ['TA0009', 'Collection'],
  mitre_command_and_control: ['TA0011', 'Command and Control'],
  mitre_exfiltration: ['TA0010', 'Exfiltration'],
  mitre_impact: ['TA0040', 'Impact'],
  // Tags older Falco rule files use that are not ATT&CK tactics.
  mitre_port_knocking: [null, 'Port knocking (Falco tag, not an ATT&CK tactic)'],
  mitre_remote_access_tools: [null, 'Remote access tools (Falco tag, not an ATT&CK tactic)'],
  mitre_remote_service: [null, 'Remote service (Falco tag, not an ATT&CK tactic)']
}

const TECHNIQUES: Record<string, string> = {
  T1003: 'OS Credential Dumping',
  'T1003.008': '/etc/passwd and /etc/shadow',
  T1005: 'Data from Local System',
  T1020: 'Automated Exfiltration',
  T1021: 'Remote Services',
  'T1021.004': 'SSH',
  T1036: 'Masquerading',
  T1046: 'Network Service Discovery',
  T1053: 'Scheduled Task/Job',
  'T1053.003': 'Cron',
  T1055: 'Process Injection',
  'T1055.008': 'Ptrace System Calls',
  T1059: 'Command and Scripting Interpreter',
  'T1059.004': 'Unix Shell',
  'T1059.006': 'Python',
  T1068: 'Exploitation for Privilege Escalation',
  T1069: 'Permission Groups Discovery',
  'T1069.001': 'Local Groups',
  T1070: 'Indicator Removal',
  'T1070.002': 'Clear Linux or Mac System Logs',
  'T1070.003': 'Clear Command History',
  'T1070.004': 'File Deletion',
  T1071: 'Application Layer Protocol',
  T1072: 'Software Deployment Tools',
  T1078: 'Valid Accounts',
  T1083: 'File and Directory Discovery',
  T1098: 'Account Manipulation',
  'T1098.004': 'SSH Authorized Keys',
  T1105: 'Ingress Tool Transfer',
  T1132: 'Data Encoding',
  T1136: 'Create Account',
  'T1136.001': 'Local Account',
  T1190: 'Exploit Public-Facing Application',
  T1195: 'Supply Chain Compromise',
  'T1195.002': 'Compromise Software Supply Chain',
  T1204: 'User Execution',
  T1205: 'Traffic Signaling',
  'T1205.001': 'Port Knocking',
  T1222: 'File and Directory Permissions Modification',
  'T1222.002': 'Linux and Mac File and Directory Permissions Modification',
  T1485: 'Data Destruction',
  T1496: 'Resource Hijacking',
  T1505: 'Server Software Component',
  'T1505.003': 'Web Shell',
  T1543: 'Create or Modify System Process',
  T1546: 'Event Triggered Execution',
  'T1546.004': 'Unix Shell Configuration Modification',
  T1547: 'Boot or Logon Autostart Execution',
  'T1547.006': 'Kernel Modules and Extensions',
  T1548: 'Abuse Elevation Control Mechanism',
  'T1548.001': 'Setuid and Setgid',
  'T1548.003': 'Sudo and Sudo Caching',
  T1552: 'Unsecured Credentials',
  'T1552.001': 'Credentials In Files',
  'T1552.003': 'Bash History',
  'T1552.004': 'Private Keys',
  'T1552.005': 'Cloud Instance Metadata API',
  T1554: 'Compromise Host Software Binary',
  T1555: 'Credentials from Password Stores',
  T1556: 'Modify Authentication Process',
  T1557: 'Adversary-in-the-Middle',
  'T1557.002': 'ARP Cache Poisoning',
  T1562: 'Impair Defenses',
  'T1562.001': 'Disable or Modify Tools',
  'T1562.004': 'Disable or Modify System Firewall',
  T1564: 'Hide Artifacts',
  'T1564.001': 'Hidden Files and Directories',
  T1565: 'Data Manipulation',
  T1571: 'Non-Standard Port',
  T1574: 'Hijack Execution Flow',
  'T1574.006': 'Dynamic Linker Hijacking',
  T1609: 'Container Administration Command',
  T1610: 'Deploy Container',
  T1611: 'Escape to Host',
  T1613: 'Container and Resource Discovery',
  T1620: 'Reflective Code Loading',
  T1622: 'Debugger Evasion'
}

const TECHNIQUE_RE = /^T\d{4}(\.\d{3})?$/

export function isTacticTag(tag: string): boolean {
  return tag.startsWith('mitre_')
}

export function isTechniqueTag(tag: string): boolean {
  return TECHNIQUE_RE.test(tag)
}

export function tacticOf(tag: string): Tactic {
  const t = TACTICS[tag]
  if (t !== undefined) return { tag, id: t[0], name: t[1] }
  // An unknown mitre_* tag: a readable name from the tag itself.
  const words = tag
    .slice('mitre_'.length)
    .split('_')
    .filter((w) => w !== '')
  return { tag, id: null, name: words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ') }
}

export function techniqueOf(id: string): Technique {
  const dot = id.indexOf('.')
  const parent = dot < 0 ? null : id.slice(0, dot)
  return {
    id,
    name: TECHNIQUES[id] ?? null,
    parentName: parent === null ? null : (TECHNIQUES[parent] ?? null)
  }
}

/** "T1059.004 Command and Scripting Interpreter: Unix Shell", ATT&CK's own way of naming a sub-technique. */
export function techniqueLabel(t: Technique): string {
  if (t.parentName !== null && t.name !== null) return `${t.id} ${t.parentName}: ${t.name}`
  if (t.name !== null) return `${t.id} ${t.name}`
  if (t.parentName !== null) return `${t.id} ${t.parentName} (sub-technique)`
  return t.id
}

export function tacticLabel(t: Tactic): string {
  return t.id === null ? t.name : `${t.id} ${t.name}`
}

/** The tactics and techniques of a rule's tags, in tag order, without duplicates. */
export function mitreOfTags(tags: readonly string[]): { tactics: Tactic[]; techniques: Technique[] } {
  const tactics = [...new Set(tags.filter(isTacticTag))].map(tacticOf)
  const techniques = [...new Set(tags.filter(isTechniqueTag))].map(techniqueOf)
  return { tactics, techniques }
}
