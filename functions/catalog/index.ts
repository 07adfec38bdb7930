/** Entry point of the catalog function (functions-framework target `catalog`). */
import { register } from '../shared/register';
import { createCatalog } from './deps';

register({ name: 'catalog', create: createCatalog });
