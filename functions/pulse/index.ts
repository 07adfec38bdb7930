/** Entry point of the pulse function (functions-framework target `pulse`). */
import { register } from '../shared/register';
import { createPulse } from './deps';

register({ name: 'pulse', create: createPulse });
