// Synthetic captures for Peregrine's default rules: for each rule, a capture that must raise it and one that
// must not. Shared by default-rules.test.ts and the sysdig oracle test.
import { fdFile, fdIpv4, sockaddr4, sockaddrUnix, tuple4, tupleUnix } from '../fixtures/scap-writer'
import { CONTAINER_ID, MODE, O, PTRACE, Scene, dockerCgroups } from './scenario'

const CG = dockerCgroups(CONTAINER_ID)

/** init, a root shell (tid 100) and a container's shim (tid 200, host) with a container description. */
function base(): Scene {
  return new Scene()
    .proc({ tid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init' })
    .proc({ tid: 100, ptid: 1, comm: 'bash', exe: '/bin/bash', uid: 0 })
    .proc({ tid: 200, ptid: 1, comm: 'containerd-shim', exe: '/usr/bin/containerd-shim' })
    .container({ id: CONTAINER_ID.slice(0, 12), name: 'web', image: 'docker.io/library/nginx:1.25' })
}

/** A process `comm` (tid 500, child of the shell), on the host or in the container. */
function withProc(comm: string, inContainer = false, extra: { uid?: number } = {}): Scene {
  return base().proc({
    tid: 500,
    ptid: inContainer ? 200 : 100,
    comm,
    exe: `/usr/bin/${comm}`,
    args: [],
    uid: extra.uid ?? 0,
    ...(inContainer ? { cgroups: CG } : {})
  })
}

function exec(
  comm: string,
  args: string[] = [],
  o: { container?: boolean; exe?: string; tty?: number } = {}
): Scene {
  return base().exec({
    tid: 600,
    ptid: o.container === true ? 200 : 100,
    exe: o.exe ?? `/usr/bin/${comm}`,
    comm,
    args,
    cgroups: o.container === true ? CG : [],
    tty: o.tty ?? 0
  })
}

function open(comm: string, file: string, flags: number, inContainer = false): Scene {
  return withProc(comm, inContainer).open(500, file, flags)
}

function connect(comm: string, dip: string, dport: number, inContainer = false): Scene {
  return withProc(comm, inContainer)
    .ev('socket', 'E', 500, { domain: 2, type: 1, proto: 0 })
    .ev('socket', 'X', 500, { fd: 3 })
    .ev('connect', 'E', 500, { fd: 3, addr: sockaddr4(dip, dport) })
    .ev('connect', 'X', 500, { res: 0, tuple: tuple4('10.0.0.5', 40000, dip, dport) })
}

function listen(comm: string, port: number): Scene {
  return withProc(comm)
    .ev('socket', 'E', 500, { domain: 2, type: 1, proto: 0 })
    .ev('socket', 'X', 500, { fd: 3 })
    .ev('bind', 'E', 500, { fd: 3 })
    .ev('bind', 'X', 500, { res: 0, addr: sockaddr4('0.0.0.0', port) })
    .ev('listen', 'E', 500, { fd: 3, backlog: 5 })
    .ev('listen', 'X', 500, { res: 0 })
}

function privileged(image: string): Scene {
  return new Scene()
    .proc({ tid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init' })
    .proc({ tid: 200, ptid: 1, comm: 'containerd-shim', exe: '/usr/bin/containerd-shim' })
    .proc({
      tid: 400,
      pid: 400,
      ptid: 200,
      vtid: 1,
      vpid: 1,
      comm: 'runc:[2:INIT]',
      exe: 'runc',
      cgroups: CG
    })
    .container({ id: CONTAINER_ID.slice(0, 12), name: 'priv', image, privileged: true })
    .exec({ tid: 400, ptid: 200, exe: '/bin/sh', comm: 'sh', args: ['-c', 'sleep 1000'], cgroups: CG })
}

// [rule, positive scene, negative scene]
export const CASES: [string, () => Scene, () => Scene][] = [
  [
    'Terminal shell in container',
    () => exec('bash', [], { container: true, exe: '/bin/bash', tty: 34816 }),
    () => exec('bash', [], { container: true, exe: '/bin/bash', tty: 0 })
  ],
  [
    'Unexpected outbound connection destination',
    () => connect('curl', '93.184.216.34', 443),
    () => connect('curl', '10.1.2.3', 443)
  ],
  [
    'Launch Privileged Container',
    () => privileged('docker.io/library/alpine:3.19'),
    () => privileged('docker.io/falcosecurity/falco:0.37.1')
  ],
  [
    'Read shadow password file by unexpected program',
    () => open('python3', '/etc/shadow', O.RDONLY),
    () => open('sshd', '/etc/shadow', O.RDONLY)
  ],
  [
    'Read sudoers by unexpected program',
    () => open('cat', '/etc/sudoers.d/90-cloud-init-users', O.RDONLY),
    () => open('sudo', '/etc/sudoers.d/90-cloud-init-users', O.RDONLY)
  ],
  [
    'Read SSH private key by non-SSH program',
    () => open('python3', '/home/alice/.ssh/id_ed25519', O.RDONLY),
    () => open('ssh', '/home/alice/.ssh/id_ed25519', O.RDONLY)
  ],
  [
    'Read cloud credentials by unexpected program',
    () => open('node', '/root/.aws/credentials', O.RDONLY),
    () => open('aws', '/root/.aws/credentials', O.RDONLY)
  ],
  [
    'Read shell history by unexpected program',
    () => open('cat', '/root/.bash_history', O.RDONLY),
    () => open('bash', '/root/.bash_history', O.RDONLY)
  ],
  [
    'Write below binary directory',
    () => open('curl', '/usr/bin/ls', O.WRONLY | O.CREAT | O.TRUNC),
    () => open('dpkg', '/usr/bin/ls', O.WRONLY | O.CREAT | O.TRUNC)
  ],
  [
    'Write below etc',
    () => open('python3', '/etc/hosts', O.WRONLY | O.APPEND),
    () => open('python3', '/etc/hosts', O.RDONLY)
  ],
  [
    'Modify crontab',
    () => open('python3', '/var/spool/cron/crontabs/root', O.WRONLY | O.CREAT),
    () => open('crontab', '/var/spool/cron/crontabs/root', O.WRONLY | O.CREAT)
  ],
  [
    'Modify SSH authorized keys',
    () => open('bash', '/root/.ssh/authorized_keys', O.WRONLY | O.APPEND),
    () => open('sshd', '/root/.ssh/authorized_keys', O.RDONLY)
  ],
  [
    'Modify dynamic linker preload',
    () => open('bash', '/etc/ld.so.preload', O.WRONLY | O.CREAT),
    () => open('bash', '/etc/ld.so.preload', O.RDONLY)
  ],
  [
    'User or group account created or changed',
    () => exec('useradd', ['-m', 'backdoor']),
    () => exec('id', ['backdoor'])
  ],
  [
    'Set setuid or setgid bit',
    () =>
      withProc('chmod').ev('chmod', 'X', 500, { res: 0, filename: '/tmp/sh', mode: MODE.S_ISUID | 0o755 }),
    () => withProc('chmod').ev('chmod', 'X', 500, { res: 0, filename: '/tmp/sh', mode: 0o755 })
  ],
  [
    'Kernel module loaded',
    () => exec('insmod', ['/tmp/rootkit.ko']),
    () => exec('modprobe', ['-r', 'floppy'])
  ],
  [
    'Clear log files',
    () => open('bash', '/var/log/auth.log', O.WRONLY | O.TRUNC),
    () => open('logrotate', '/var/log/auth.log', O.WRONLY | O.TRUNC)
  ],
  [
    'Clear shell history',
    () =>
      withProc('rm')
        .ev('unlinkat', 'E', 500, {})
        .ev('unlinkat', 'X', 500, { res: 0, dirfd: -100, name: '/root/.bash_history', flags: 0 }),
    () =>
      withProc('rm')
        .ev('unlinkat', 'E', 500, {})
        .ev('unlinkat', 'X', 500, { res: 0, dirfd: -100, name: '/tmp/build.log', flags: 0 })
  ],
  [
    'Execution from temporary directory',
    () => exec('payload', [], { exe: '/tmp/payload' }),
    () => exec('ls', ['-l'])
  ],
  [
    'Fileless execution from memfd',
    () => exec('3', [], { exe: '/memfd:payload (deleted)' }),
    () => exec('env', [])
  ],
  ['Disable firewall rules', () => exec('iptables', ['-F']), () => exec('iptables', ['-L', '-n'])],
  [
    'Reverse shell',
    () =>
      withProc('bash')
        .fds(500, [fdIpv4(3, '10.0.0.5', 40000, '203.0.113.7', 4444)])
        .ev('dup', 'E', 500, { fd: 3 })
        .ev('dup', 'X', 500, { res: 0 }),
    () =>
      withProc('bash')
        .fds(500, [fdFile(3, '/tmp/out.txt')])
        .ev('dup', 'E', 500, { fd: 3 })
        .ev('dup', 'X', 500, { res: 0 })
  ],
  [
    'Network tool run in container',
    () => exec('nc', ['-lvp', '4444'], { container: true }),
    () => exec('nc', ['-lvp', '4444'])
  ],
  [
    'Package manager run in container',
    () => exec('apt-get', ['install', '-y', 'nmap'], { container: true }),
    () => exec('apt-get', ['install', '-y', 'nmap'])
  ],
  [
    'Crypto miner connection',
    () => connect('kworker', '198.51.100.20', 3333),
    () => connect('kworker', '198.51.100.20', 443)
  ],
  ['Crypto miner launched', () => exec('xmrig', ['-o', 'pool.example:3333']), () => exec('ls', [])],
  ['Unexpected listening port', () => listen('python3', 31337), () => listen('python3', 8080)],
  [
    'Ptrace attach to process',
    () => withProc('python3').ev('ptrace', 'E', 500, { request: PTRACE.ATTACH, pid: 1 }),
    () => withProc('python3').ev('ptrace', 'E', 500, { request: PTRACE.PEEKDATA, pid: 1 })
  ],
  [
    'Mount in container',
    () =>
      withProc('mount', true)
        .ev('mount', 'E', 500, {})
        .ev('mount', 'X', 500, { res: 0, dev: '/dev/sda1', dir: '/mnt', type: 'ext4' }),
    () =>
      withProc('mount', false)
        .ev('mount', 'E', 500, {})
        .ev('mount', 'X', 500, { res: 0, dev: '/dev/sda1', dir: '/mnt', type: 'ext4' })
  ],
  [
    'Mount command in container',
    () => exec('mount', ['/dev/sda1', '/mnt'], { container: true }),
    () => exec('mount', ['-l'], { container: true })
  ],
  [
    'Enter host namespaces',
    () => exec('nsenter', ['-t', '1', '-m', '-u', '-n', '-i', 'sh']),
    () => exec('unshare', ['-r', 'sh'])
  ],
  [
    'Write to cgroup release_agent',
    () => open('sh', '/sys/fs/cgroup/rdma/release_agent', O.WRONLY, true),
    () => open('sh', '/sys/fs/cgroup/rdma/release_agent', O.RDONLY, true)
  ],
  [
    'Container runtime socket opened in container',
    () =>
      withProc('curl', true)
        .ev('socket', 'E', 500, { domain: 1, type: 1, proto: 0 })
        .ev('socket', 'X', 500, { fd: 3 })
        .ev('connect', 'E', 500, { fd: 3, addr: sockaddrUnix('/var/run/docker.sock') })
        .ev('connect', 'X', 500, {
          res: 0,
          tuple: tupleUnix(0xffff0001n, 0xffff0002n, '/var/run/docker.sock')
        }),
    () =>
      withProc('curl', false)
        .ev('socket', 'E', 500, { domain: 1, type: 1, proto: 0 })
        .ev('socket', 'X', 500, { fd: 3 })
        .ev('connect', 'E', 500, { fd: 3, addr: sockaddrUnix('/var/run/docker.sock') })
        .ev('connect', 'X', 500, {
          res: 0,
          tuple: tupleUnix(0xffff0001n, 0xffff0002n, '/var/run/docker.sock')
        })
  ]
]
