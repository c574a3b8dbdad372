import { Command } from 'commander';
import { version } from '../package.json';
import { evaluateCommand } from './commands/evaluate';
import { explainCommand } from './commands/explain';
import { finetuneCommand } from './commands/finetune';
import { gdCommand } from './commands/gd';
import { infoCommand } from './commands/info';
import { predictCommand } from './commands/predict';
import { trainCommand } from './commands/train';

export function program(): Command {
  const root = new Command('descent')
    .description('descent: deep learning from the course, for real — train, predict, walk downhill')
    .version(version)
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', '\nThe backend can be forced with DESCENT_BACKEND=wasm|cpu.');
  for (const command of [
    trainCommand(),
    predictCommand(),
    evaluateCommand(),
    explainCommand(),
    finetuneCommand(),
    gdCommand(),
    infoCommand(),
  ]) {
    root.addCommand(command.showHelpAfterError('(add --help for usage)').exitOverride());
  }
  // Commander's own errors (unknown flags, missing values) exit 2, like ours.
  root.exitOverride();
  return root;
}
