import { Command } from 'commander';
import { redactPgUrl } from '../../../../libs/event-store/src';
import { CONFIG_VARIABLES, checkConfig, formatProblems } from '../../../../libs/runtime/src';
import type { CliContext } from '../main';

/** What may be shown of a variable's value: tokens never, connection strings without their password. */
function shown(name: string, value: string): string {
  if (name === 'QUANZE_TOKENS') {
    const entries = value.split(',').map((s) => s.trim()).filter(Boolean);
    return entries.map((e) => e.split(':').slice(0, 2).join(':') + ':***').join(',');
  }
  if (name === 'QUANZE_EVENTSTORE' || name === 'QUANZE_TEST_EVENTSTORE') return redactPgUrl(value).replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  return value;
}

/** `quanze config check [--json]`: every variable, its value or default, every problem at once; exit 2 on a problem. */
export function registerConfig(program: Command, ctx: CliContext): void {
  program
    .command('config')
    .description('配置')
    .command('check')
    .description('检查全部 QUANZE_* 环境变量（一次列出所有问题，中英文）/ check every variable, all problems at once')
    .option('--json', '输出 JSON')
    .action((o) => {
      const r = checkConfig(process.env);
      const variables = CONFIG_VARIABLES.filter((v) => !v.dev).map((v) => {
        const raw = process.env[v.name];
        const set = raw !== undefined && raw !== '';
        return { name: v.name, value: set ? shown(v.name, raw!) : null, default: v.default, source: set ? 'environment' : 'default', zh: v.zh, en: v.en };
      });
      const ok = r.problems.length === 0;
      if (o.json) ctx.out(JSON.stringify({ ok, problems: r.problems, warnings: r.warnings, variables }, null, 2));
      else {
        for (const v of variables) ctx.out(`${v.name.padEnd(28)} ${v.value ?? `（默认 default）${v.default}`}`);
        if (r.warnings.length) ctx.out(`\n提示 / warnings:\n${formatProblems(r.warnings)}`);
        ctx.out(ok ? '\n配置无误 / configuration OK' : `\n配置有 ${r.problems.length} 处错误 / ${r.problems.length} problem(s):\n${formatProblems(r.problems)}`);
      }
      if (!ok) process.exitCode = 2;
    });
}
