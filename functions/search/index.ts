/** Entry point of the search function (functions-framework target `search`). */
import { register } from '../shared/register';
import { createSearch } from './deps';

register({ name: 'search', create: createSearch });
