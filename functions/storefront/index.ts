/** Entry point of the storefront function (functions-framework target `storefront`). */
import { register } from '../shared/register';
import { createStorefront } from './deps';

register({ name: 'storefront', create: createStorefront });
