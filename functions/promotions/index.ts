/** Entry point of the promotions function (functions-framework target `promotions`). */
import { register } from '../shared/register';
import { createPromotions } from './deps';

register({ name: 'promotions', create: createPromotions });
