/** Entry point of the inventory function (functions-framework target `inventory`). */
import { register } from '../shared/register';
import { createInventory } from './deps';

register({ name: 'inventory', create: createInventory });
