/**
 * Vocabulary of the fresh departments: meat, fish & eggs, tofu & vegetarian, ready meals, bakery.
 * Prices are VND for the first size, or per kg for items sold by weight.
 */
import type { LeafSpec } from './types';

const MEAT = ['CP', 'Vissan', 'MEATDeli', 'Dabaco', 'Tươi Farm'];
const SEA = ['Tươi Farm', 'Sài Gòn Food', 'Minh Phú'];
const KG = { byKg: true, sizes: ['300g', '500g', '1kg'] } as const;
const COOK_MEAT = [
  'dùng để kho, chiên, nướng hoặc luộc',
  'for braising, frying, grilling or boiling',
] as const;
const COOK_FISH = ['dùng để chiên, kho, nấu canh chua', 'fry, braise or cook in sour soup'] as const;

/** Leaves of the meat, fish & eggs, tofu, ready-meal and bakery departments. */
// prettier-ignore
export const FRESH_VOCAB: LeafSpec[] = [
  {
    leaf: 'thit-heo',
    d: { brands: MEAT, ...KG, storage: 'chilled', shelf: 3, vary: ['porkBreed', 'meatCut'], pkg: 'khay', use: COOK_MEAT },
    items: [
      ['Thịt ba chỉ', 'Pork Belly', 150_000, 190_000],
      ['Ba rọi rút sườn', 'Boneless Pork Belly', 160_000, 200_000],
      ['Thịt nạc vai', 'Pork Shoulder', 130_000, 160_000],
      ['Thịt đùi heo', 'Pork Leg', 110_000, 140_000],
      ['Nạc dăm heo', 'Pork Collar', 140_000, 170_000],
      ['Thịt thăn heo', 'Pork Tenderloin', 140_000, 170_000],
      ['Sườn non', 'Pork Spare Ribs', 180_000, 230_000, { vary: ['porkBreed', [['', ''], ['chặt khúc', 'Cut']]] }],
      ['Sườn cốt lết', 'Pork Chops', 120_000, 150_000],
      ['Thịt heo xay', 'Minced Pork', 120_000, 150_000, { vary: ['porkBreed'] }],
      ['Chân giò heo', 'Pork Hock', 90_000, 120_000, { vary: ['porkBreed'] }],
      ['Xương ống heo', 'Pork Bones', 50_000, 70_000, { vary: ['porkBreed'], use: ['dùng hầm nước dùng', 'for simmering stock'] }],
    ],
  },
  {
    leaf: 'thit-bo',
    d: {
      brands: ['Tươi Farm', 'MEATDeli', 'Vissan', 'Mavin'], ...KG, storage: 'chilled', shelf: 4, vary: ['beefOrigin', 'beefCut'],
      pkg: 'khay', may: ['halal'], use: ['dùng để xào, nấu phở, làm bít tết', 'stir-fry, make pho or sear as steak'],
    },
    items: [
      ['Thịt bò thăn', 'Beef Tenderloin', 320_000, 420_000],
      ['Thịt bò xay', 'Minced Beef', 220_000, 280_000, { vary: ['beefOrigin'] }],
      ['Thịt bò ba chỉ', 'Beef Plate', 230_000, 300_000],
      ['Thịt bò đùi', 'Beef Round', 240_000, 300_000],
      ['Bắp bò', 'Beef Shank', 250_000, 320_000],
      ['Nạm bò', 'Beef Flank', 230_000, 290_000],
      ['Gân bò', 'Beef Tendon', 180_000, 240_000, { vary: ['beefOrigin'] }],
      ['Sườn bò', 'Beef Short Ribs', 280_000, 380_000],
      ['Thăn ngoại bò', 'Beef Striploin', 350_000, 480_000],
    ],
  },
  {
    leaf: 'thit-ga',
    d: {
      brands: ['CP', 'Koyu & Unitek', 'Dabaco', 'Tươi Farm'], byKg: true, sizes: ['300g', '500g', '1kg'], storage: 'chilled',
      shelf: 3, vary: ['chickenType', [['', ''], ['làm sạch', 'Cleaned'], ['chặt miếng', 'Cut']]], pkg: 'khay', may: ['halal'], use: ['dùng để chiên, nướng, luộc hoặc nấu cháo', 'fry, roast, poach or make congee'],
    },
    items: [
      ['Gà ta nguyên con', 'Whole Native Chicken', 120_000, 160_000, { sizes: ['1.2kg', '1.5kg'] }],
      ['Gà nguyên con', 'Whole Chicken', 60_000, 80_000, { sizes: ['1.5kg', '2kg'] }],
      ['Ức gà', 'Chicken Breast', 70_000, 95_000],
      ['Đùi gà góc tư', 'Chicken Leg Quarters', 55_000, 75_000],
      ['Má đùi gà', 'Chicken Thighs', 75_000, 95_000],
      ['Cánh gà', 'Chicken Wings', 80_000, 110_000],
      ['Chân gà', 'Chicken Feet', 60_000, 85_000],
      ['Lòng mề gà', 'Chicken Gizzards', 50_000, 70_000],
      ['Gà ác', 'Silkie Chicken', 140_000, 180_000, { sizes: ['500g', '800g'] }],
    ],
  },
  {
    leaf: 'thit-vit',
    d: {
      brands: ['CP', 'Dabaco', 'Tươi Farm'], byKg: true, sizes: ['1.5kg', '2kg'], storage: 'chilled', shelf: 3,
      pkg: 'khay', vary: [[['', ''], ['làm sạch', 'Cleaned'], ['chặt miếng', 'Cut']], [['', ''], ['thả vườn', 'Free-range', { price: 1.3 }], ['Cổ Lũng', 'Co Lung', { price: 1.5 }]]], use: ['dùng để quay, nấu chao hoặc nấu cháo', 'roast, braise or make congee'],
    },
    items: [
      ['Vịt nguyên con', 'Whole Duck', 80_000, 110_000],
      ['Ngan nguyên con', 'Whole Muscovy Duck', 90_000, 120_000, { sizes: ['2kg', '2.5kg'] }],
      ['Ức vịt', 'Duck Breast', 150_000, 190_000, { sizes: ['300g', '500g'] }],
      ['Đùi vịt', 'Duck Legs', 110_000, 140_000, { sizes: ['500g', '1kg'] }],
      ['Chim bồ câu', 'Squab', 70_000, 95_000, { byKg: false, sizes: ['1pc', '2pc'], count: ['con', 'birds'] }],
    ],
  },
  {
    leaf: 'ca-tuoi',
    d: {
      brands: ['Tươi Farm', 'Sài Gòn Food', 'Cầu Tre'], byKg: true, sizes: ['300g', '500g', '1kg'], storage: 'chilled', shelf: 2,
      vary: ['fishPrep', 'wildFarmed'], pkg: 'khay', use: COOK_FISH,
    },
    items: [
      ['Cá hồi', 'Salmon', 450_000, 650_000, { sizes: ['300g', '500g'], origin: 'no', use: ['dùng làm sashimi, áp chảo hoặc nấu lẩu', 'for sashimi, pan-searing or hot pot'] }],
      ['Cá tra', 'Pangasius', 60_000, 85_000, { brands: ['Vĩnh Hoàn', 'Tươi Farm'] }],
      ['Cá basa', 'Basa Fish', 70_000, 95_000, { brands: ['Vĩnh Hoàn', 'Tươi Farm', 'Sài Gòn Food'] }],
      ['Cá diêu hồng', 'Red Tilapia', 65_000, 85_000],
      ['Cá rô phi', 'Tilapia', 50_000, 70_000],
      ['Cá lóc', 'Snakehead Fish', 90_000, 120_000],
      ['Cá thu', 'Spanish Mackerel', 250_000, 320_000],
      ['Cá ngừ đại dương', 'Yellowfin Tuna', 220_000, 300_000],
      ['Cá nục', 'Scad', 60_000, 80_000],
      ['Cá bạc má', 'Indian Mackerel', 70_000, 95_000],
      ['Cá chim', 'Pomfret', 180_000, 240_000],
      ['Cá kèo', 'Goby Fish', 140_000, 180_000, { vary: ['wildFarmed'] }],
    ],
  },
  {
    leaf: 'tom',
    d: { brands: SEA, ...KG, storage: 'chilled', shelf: 2, vary: ['shrimpSize', 'seaOrigin'], pkg: 'khay', use: ['dùng để hấp, nướng, rang hoặc nấu lẩu', 'steam, grill, stir-fry or add to hot pot'] },
    items: [
      ['Tôm sú', 'Tiger Prawn', 280_000, 380_000],
      ['Tôm thẻ', 'Whiteleg Shrimp', 180_000, 250_000],
      ['Tôm càng xanh', 'Giant River Prawn', 380_000, 480_000],
      ['Tôm đất', 'River Shrimp', 180_000, 240_000],
      ['Tôm nõn', 'Peeled Shrimp', 280_000, 360_000, { vary: ['seaOrigin'] }],
      ['Tôm hùm bông', 'Spiny Lobster', 1_200_000, 1_600_000, { sizes: ['500g', '1kg'], vary: [] }],
    ],
  },
  {
    leaf: 'muc-bach-tuoc',
    d: { brands: SEA, ...KG, storage: 'chilled', shelf: 2, vary: ['seafoodPrep', 'seaOrigin'], pkg: 'khay', use: ['dùng để hấp gừng, nướng, xào chua ngọt', 'steam with ginger, grill or stir-fry'] },
    items: [
      ['Mực ống', 'Squid', 220_000, 300_000],
      ['Mực lá', 'Bigfin Reef Squid', 280_000, 360_000],
      ['Mực nang', 'Cuttlefish', 250_000, 330_000],
      ['Mực trứng', 'Egg Squid', 200_000, 260_000],
      ['Bạch tuộc', 'Octopus', 150_000, 200_000],
    ],
  },
  {
    leaf: 'cua-ghe',
    d: { brands: ['Tươi Farm', 'Sài Gòn Food', 'Cầu Tre'], byKg: true, sizes: ['500g', '1kg'], storage: 'chilled', shelf: 1, vary: ['liveState', 'seaOrigin'], pkg: 'khay', use: ['dùng để hấp bia, rang me hoặc nấu lẩu', 'steam with beer, stir-fry with tamarind or add to hot pot'] },
    items: [
      ['Cua thịt Cà Mau', 'Ca Mau Mud Crab', 350_000, 500_000],
      ['Cua gạch', 'Roe Crab', 450_000, 650_000],
      ['Ghẹ xanh', 'Blue Swimmer Crab', 300_000, 420_000],
      ['Ghẹ đỏ', 'Red Swimming Crab', 320_000, 420_000],
      ['Càng cua', 'Crab Claws', 350_000, 450_000, { vary: ['seaOrigin'] }],
    ],
  },
  {
    leaf: 'ngheu-so-oc',
    d: { brands: ['Tươi Farm', 'Sài Gòn Food'], ...KG, storage: 'chilled', shelf: 1, vary: ['liveState', 'seaOrigin'], pkg: 'túi', use: ['dùng để hấp sả, nướng mỡ hành hoặc nấu canh', 'steam with lemongrass, grill with scallion oil or cook in soups'] },
    items: [
      ['Nghêu', 'Clams', 40_000, 60_000, { sizes: ['500g', '1kg'] }],
      ['Sò điệp', 'Scallops', 150_000, 220_000],
      ['Sò huyết', 'Blood Cockles', 120_000, 160_000],
      ['Hàu sữa', 'Pacific Oysters', 60_000, 90_000, { byKg: false, sizes: ['6pc', '12pc'], count: ['con', 'pcs'] }],
      ['Ốc hương', 'Babylon Snails', 350_000, 450_000],
      ['Vẹm xanh', 'Green Mussels', 60_000, 90_000, { sizes: ['500g', '1kg'] }],
      ['Ốc bươu', 'Apple Snails', 60_000, 80_000, { sizes: ['500g', '1kg'] }],
    ],
  },
  {
    leaf: 'trung-ga',
    d: {
      brands: ['Ba Huân', 'Vĩnh Thành Đạt', 'CP', 'Dabaco', 'Tươi Farm'], sizes: ['4pc', '6pc', '10pc', '30pc'],
      count: ['quả', 'eggs'], pkg: 'hộp', storage: 'fresh', shelf: 21, vary: ['eggType'], may: ['vegetarian', 'gluten-free'],
      use: ['dùng để chiên, luộc, làm bánh', 'fry, boil or bake'],
    },
    items: [
      ['Trứng gà', 'Chicken Eggs', 12_000, 15_000],
      ['Trứng gà ta', 'Native Chicken Eggs', 16_000, 20_000],
      ['Trứng gà ác', 'Silkie Chicken Eggs', 22_000, 28_000, { sizes: ['6pc', '10pc'], vary: [] }],
    ],
  },
  {
    leaf: 'trung-vit-cut',
    d: {
      brands: ['Ba Huân', 'Vĩnh Thành Đạt', 'Tươi Farm'], sizes: ['4pc', '10pc'], count: ['quả', 'eggs'], pkg: 'hộp',
      storage: 'fresh', shelf: 21, may: ['vegetarian', 'gluten-free'], vary: [[['', ''], ['loại lớn', 'Large']]],
    },
    items: [
      ['Trứng vịt', 'Duck Eggs', 14_000, 18_000],
      ['Trứng vịt muối', 'Salted Duck Eggs', 18_000, 24_000, { shelf: 30, may: [] }],
      ['Trứng vịt lộn', 'Balut', 20_000, 26_000, { shelf: 5, may: [] }],
      ['Trứng cút', 'Quail Eggs', 8_000, 12_000, { sizes: ['10pc', '30pc'] }],
      ['Trứng bắc thảo', 'Century Eggs', 25_000, 35_000, { shelf: 60, storage: 'ambient', may: [] }],
    ],
  },
  {
    leaf: 'gio-cha',
    d: { brands: ['Vissan', 'CP', 'Đức Việt', 'Tươi'], sizes: ['250g', '500g', '1kg'], storage: 'chilled', shelf: 10, pkg: 'cây', vary: [[['', ''], ['loại đặc biệt', 'Premium', { price: 1.2 }], ['Ước Lễ', 'Uoc Le', { price: 1.3 }], ['tiêu', 'Black Pepper']]], use: ['dùng ăn kèm bánh mì, xôi, bánh cuốn', 'serve with bread, sticky rice or rice rolls'] },
    items: [
      ['Chả lụa', 'Vietnamese Pork Roll', 50_000, 70_000],
      ['Giò thủ', 'Pork Head Cheese', 50_000, 65_000],
      ['Chả quế', 'Cinnamon Pork Roll', 55_000, 72_000],
      ['Chả bò', 'Beef Roll', 70_000, 90_000],
      ['Chả cá thác lác', 'Featherback Fish Cake', 60_000, 80_000, { brands: ['Sài Gòn Food', 'Tươi'] }],
      ['Nem chua', 'Fermented Pork Rolls', 30_000, 45_000, { sizes: ['10pc', '20pc'], count: ['cái', 'pcs'], pkg: 'túi' }],
    ],
  },
  {
    leaf: 'xuc-xich',
    d: { brands: ['Vissan', 'CP', 'Đức Việt', 'Ponnie'], sizes: ['200g', '500g'], storage: 'chilled', shelf: 30, pkg: 'gói', vary: ['sausageFlavour'], use: ['dùng chiên, nướng hoặc ăn với bánh mì', 'fry, grill or serve in a baguette'] },
    items: [
      ['Xúc xích heo', 'Pork Sausages', 45_000, 60_000],
      ['Xúc xích Đức', 'German Sausages', 60_000, 80_000],
      ['Xúc xích phô mai', 'Cheese Sausages', 50_000, 65_000],
      ['Xúc xích gà', 'Chicken Sausages', 45_000, 60_000],
      ['Xúc xích tiệt trùng', 'Shelf-stable Sausage Sticks', 25_000, 35_000, { storage: 'ambient', shelf: 180, sizes: ['5pc', '10pc'], count: ['cây', 'sticks'] }],
    ],
  },
  {
    leaf: 'thit-nguoi',
    d: { brands: ['Vissan', 'Đức Việt', 'CP', 'Ponnie'], sizes: ['100g', '200g', '500g'], storage: 'chilled', shelf: 21, pkg: 'gói', vary: [[['', ''], ['cắt lát', 'Sliced']], [['', ''], ['xông khói', 'Smoked'], ['tiêu đen', 'Black Pepper']]], use: ['dùng làm sandwich, salad hoặc ăn sáng', 'for sandwiches, salads or breakfast'] },
    items: [
      ['Thịt jambon', 'Ham', 60_000, 85_000],
      ['Ba rọi xông khói', 'Bacon', 75_000, 100_000],
      ['Thịt nguội thập cẩm', 'Assorted Cold Cuts', 70_000, 95_000],
      ['Pate tươi', 'Fresh Pâté', 40_000, 55_000, { vary: [], shelf: 14 }],
    ],
  },
  {
    leaf: 'lap-xuong',
    d: { brands: ['Tân Huê Viên', 'Vissan', 'Tươi'], sizes: ['200g', '500g'], storage: 'ambient', shelf: 180, pkg: 'gói', vary: [[['', ''], ['mai quế lộ', 'Rose Wine'], ['loại đặc biệt', 'Premium', { price: 1.25 }]]], tags: ['tet'], use: ['dùng chiên, hấp hoặc nấu xôi', 'fry, steam or cook with sticky rice'] },
    items: [
      ['Lạp xưởng', 'Chinese Sausage', 60_000, 90_000],
      ['Lạp xưởng tươi', 'Fresh Chinese Sausage', 55_000, 75_000, { storage: 'chilled', shelf: 20, tags: [] }],
      ['Lạp xưởng tôm', 'Shrimp Sausage', 80_000, 110_000],
    ],
  },
  {
    leaf: 'thit-uop-san',
    d: { brands: ['MEATDeli', 'CP', 'Vissan', 'Tươi Farm'], sizes: ['300g', '500g'], storage: 'chilled', shelf: 3, pkg: 'khay', vary: [[['', ''], ['cay', 'Spicy'], ['sả ớt', 'Lemongrass Chilli'], ['ngũ vị', 'Five-spice']]], use: ['đã tẩm ướp, chỉ cần nướng hoặc chiên', 'pre-marinated, just grill or pan-fry'] },
    items: [
      ['Sườn heo ướp BBQ', 'BBQ Marinated Pork Ribs', 65_000, 85_000],
      ['Thịt heo ướp nướng', 'Marinated Grilled Pork', 55_000, 75_000],
      ['Gà ướp mật ong', 'Honey Marinated Chicken', 45_000, 60_000],
      ['Bò cuộn lá lốt', 'Beef in Betel Leaves', 60_000, 80_000],
      ['Bò cuộn nấm kim châm', 'Beef Enoki Rolls', 60_000, 80_000],
    ],
  },
  {
    leaf: 'dau-phu',
    d: {
      brands: ['Tươi', 'Tươi Farm', 'Âu Lạc', 'Vinasoy'], sizes: ['250g', '300g', '500g'], storage: 'chilled', shelf: 4, pkg: 'hộp',
      diet: ['vegan', 'gluten-free'], vary: [[['', ''], ['hữu cơ', 'Organic', { diet: ['organic'], price: 1.5 }], ['ít muối', 'Low Salt']]],
      use: ['dùng chiên, sốt cà chua hoặc nấu canh', 'fry, simmer in tomato sauce or add to soups'],
    },
    items: [
      ['Đậu phụ', 'Tofu', 8_000, 12_000],
      ['Đậu phụ non', 'Silken Tofu', 8_000, 12_000],
      ['Đậu phụ chiên', 'Fried Tofu', 12_000, 18_000],
      ['Đậu phụ chiên sả', 'Lemongrass Fried Tofu', 14_000, 20_000],
      ['Đậu phụ trứng', 'Egg Tofu', 10_000, 14_000, { diet: ['vegetarian', 'gluten-free'] }],
      ['Tàu hũ ky', 'Dried Tofu Skin', 20_000, 30_000, { sizes: ['200g', '500g'], storage: 'ambient', shelf: 180, pkg: 'gói' }],
    ],
  },
  {
    leaf: 'do-chay',
    d: { brands: ['Âu Lạc', 'Tươi', 'Vissan'], sizes: ['200g', '500g'], storage: 'chilled', shelf: 14, pkg: 'gói', diet: ['vegan'], vary: [[['', ''], ['ngũ vị', 'Five-spice'], ['cay', 'Spicy'], ['sả ớt', 'Lemongrass Chilli']]], use: ['dùng cho bữa chay, ăn kèm cơm hoặc bánh mì', 'for vegetarian meals with rice or bread'] },
    items: [
      ['Chả lụa chay', 'Vegetarian Pork Roll', 35_000, 50_000],
      ['Xúc xích chay', 'Vegetarian Sausages', 35_000, 48_000],
      ['Thịt chay', 'Textured Soy Protein', 25_000, 38_000, { storage: 'ambient', shelf: 365, diet: ['vegan', 'gluten-free'] }],
      ['Chà bông chay', 'Vegetarian Floss', 35_000, 50_000, { storage: 'ambient', shelf: 180 }],
      ['Mì căn', 'Seitan', 20_000, 30_000],
      ['Sườn chay', 'Vegetarian Ribs', 30_000, 42_000, { storage: 'ambient', shelf: 365 }],
    ],
  },
  {
    leaf: 'kim-chi-dua-muoi',
    d: { brands: ['Bibigo', 'Ông Kẹ', 'Tươi'], sizes: ['200g', '300g', '500g', '1kg'], storage: 'chilled', shelf: 30, pkg: 'hộp', vary: [[['', ''], ['cay', 'Spicy'], ['ít cay', 'Mild'], ['chay', 'Vegetarian', { diet: ['vegetarian'] }]]], use: ['ăn kèm cơm, lẩu hoặc thịt nướng', 'serve with rice, hot pot or grilled meat'] },
    items: [
      ['Kim chi cải thảo', 'Napa Cabbage Kimchi', 30_000, 45_000],
      ['Kim chi củ cải', 'Radish Kimchi', 28_000, 40_000],
      ['Dưa cải chua', 'Pickled Mustard Greens', 15_000, 22_000, { brands: ['Tươi', 'Ông Kẹ'], may: ['vegan'] }],
      ['Cà pháo muối', 'Pickled Baby Eggplant', 15_000, 22_000, { brands: ['Tươi', 'Ông Kẹ'], may: ['vegan'] }],
      ['Củ kiệu muối', 'Pickled Shallots', 40_000, 60_000, { brands: ['Tươi', 'Ông Kẹ'], tags: ['tet'], may: ['vegan'] }],
    ],
  },
  {
    leaf: 'banh-bao-xiu-mai',
    d: { brands: ['Thọ Phát', 'Cầu Tre', 'Vissan', 'Tươi'], sizes: ['2pc', '4pc', '6pc'], count: ['cái', 'pcs'], storage: 'chilled', shelf: 5, pkg: 'gói', use: ['hấp nóng 10 phút là dùng được', 'steam for 10 minutes before serving'] },
    items: [
      ['Bánh bao nhân thịt', 'Pork Steamed Buns', 25_000, 35_000, { vary: [[['', ''], ['trứng muối', 'Salted Egg'], ['lạp xưởng', 'Chinese Sausage']]] }],
      ['Bánh bao chay', 'Vegetarian Steamed Buns', 18_000, 26_000, { diet: ['vegetarian'] }],
      ['Bánh bao kim sa', 'Custard Lava Buns', 28_000, 38_000, { diet: ['vegetarian'] }],
      ['Xíu mại', 'Pork Meatballs in Tomato Sauce', 35_000, 50_000, { sizes: ['300g', '500g'], pkg: 'hộp' }],
    ],
  },
  {
    leaf: 'mon-an-nau-san',
    d: { brands: ['Tươi', 'MEATDeli', 'Cầu Tre', 'Vissan'], sizes: ['300g', '500g'], storage: 'chilled', shelf: 2, pkg: 'hộp', vary: [[['', ''], ['ít cay', 'Mild'], ['cay', 'Spicy']]], use: ['hâm nóng là dùng được', 'just reheat and serve'] },
    items: [
      ['Cá kho tộ', 'Caramelised Braised Fish', 55_000, 75_000],
      ['Thịt kho trứng', 'Braised Pork with Eggs', 50_000, 70_000],
      ['Bò kho', 'Vietnamese Beef Stew', 65_000, 85_000],
      ['Gà kho gừng', 'Ginger Braised Chicken', 50_000, 68_000],
      ['Cơm tấm sườn', 'Broken Rice with Grilled Pork', 40_000, 55_000, { sizes: ['1pc', '2pc'], count: ['phần', 'servings'] }],
      ['Gỏi cuốn tôm thịt', 'Shrimp & Pork Fresh Rolls', 30_000, 42_000, { sizes: ['4pc', '8pc'], count: ['cuốn', 'rolls'] }],
      ['Canh chua cá', 'Sour Fish Soup', 45_000, 60_000],
    ],
  },
  {
    leaf: 'bun-pho-tuoi',
    d: { brands: ['Tươi', 'Safoco', 'Bích Chi', 'Tươi Farm'], sizes: ['300g', '500g', '1kg'], storage: 'chilled', shelf: 2, pkg: 'túi', vary: [[['', ''], ['gạo lứt', 'Brown Rice', { price: 1.4 }], ['hữu cơ', 'Organic', { diet: ['organic'], price: 1.6 }]]], may: ['vegan', 'gluten-free'], use: ['trụng qua nước sôi là dùng được', 'blanch briefly in boiling water'] },
    items: [
      ['Bún tươi', 'Fresh Rice Vermicelli', 10_000, 15_000, { vary: [[['', ''], ['sợi nhỏ', 'Thin'], ['sợi to', 'Thick']]] }],
      ['Bánh phở tươi', 'Fresh Pho Noodles', 12_000, 18_000],
      ['Hủ tiếu tươi', 'Fresh Hu Tieu Noodles', 12_000, 18_000],
      ['Bánh canh tươi', 'Fresh Tapioca Noodles', 12_000, 18_000],
      ['Bánh ướt', 'Steamed Rice Sheets', 15_000, 22_000],
      ['Mì tươi', 'Fresh Egg Noodles', 15_000, 22_000, { may: [] }],
    ],
  },
  {
    leaf: 'banh-mi',
    d: { brands: ['Tươi', 'ABC Bakery', 'Kinh Đô', 'Hữu Nghị'], sizes: ['300g', '500g'], storage: 'ambient', shelf: 4, pkg: 'túi', may: ['vegetarian'], packs: [2], use: ['dùng ăn sáng, làm sandwich', 'for breakfast and sandwiches'] },
    items: [
      ['Bánh mì sandwich', 'Sandwich Bread', 20_000, 28_000, { vary: [[['', ''], ['lạt', 'Plain'], ['sữa', 'Milk'], ['mè đen', 'Black Sesame']]] }],
      ['Bánh mì nguyên cám', 'Wholemeal Bread', 28_000, 38_000, { vary: [[['', ''], ['hạt óc chó', 'Walnut'], ['yến mạch', 'Oat'], ['ngũ cốc', 'Multigrain']]] }],
      ['Bánh mì hoa cúc', 'Brioche', 60_000, 90_000, { sizes: ['400g', '500g'] }],
      ['Bánh mì baguette', 'Baguette', 5_000, 8_000, { sizes: ['1pc', '3pc'], count: ['ổ', 'loaves'], shelf: 2 }],
      ['Bánh mì ngọt', 'Sweet Buns', 15_000, 22_000, { sizes: ['4pc', '6pc'], count: ['cái', 'pcs'], vary: [[['', ''], ['nhân dừa', 'Coconut'], ['chà bông', 'Pork Floss'], ['kem sữa', 'Custard']]] }],
      ['Bánh sừng bò', 'Croissants', 25_000, 35_000, { sizes: ['2pc', '4pc'], count: ['cái', 'pcs'], vary: [[['', ''], ['bơ', 'Butter'], ['sô cô la', 'Chocolate'], ['hạnh nhân', 'Almond']]] }],
    ],
  },
  {
    leaf: 'banh-ngot',
    d: { brands: ['Tươi', 'ABC Bakery', 'Hữu Nghị'], sizes: ['1pc', '4pc'], count: ['cái', 'pcs'], storage: 'chilled', shelf: 3, pkg: 'hộp', may: ['vegetarian'], vary: [[['', ''], ['ít ngọt', 'Less Sweet'], ['trà xanh', 'Matcha'], ['sô cô la', 'Chocolate']]] },
    items: [
      ['Bánh su kem', 'Cream Puffs', 12_000, 18_000, { sizes: ['4pc', '10pc'] }],
      ['Bánh flan', 'Crème Caramel', 8_000, 12_000, { sizes: ['2pc', '6pc'] }],
      ['Bánh tiramisu', 'Tiramisu', 35_000, 50_000],
      ['Bánh bông lan trứng muối', 'Salted Egg Sponge Cake', 25_000, 38_000],
      ['Bánh mousse chanh dây', 'Passion Fruit Mousse', 30_000, 45_000],
      ['Bánh bò nướng', 'Baked Honeycomb Cake', 20_000, 30_000, { sizes: ['1pc', '2pc'] }],
    ],
  },
  {
    leaf: 'banh-truyen-thong',
    d: { brands: ['Tươi', 'Hữu Nghị', 'Tân Huê Viên', 'Tươi Farm'], sizes: ['500g', '1kg'], storage: 'ambient', shelf: 7, pkg: 'cái', vary: [[['', ''], ['nhân đậu xanh', 'Mung Bean'], ['lá dứa', 'Pandan']]] },
    items: [
      ['Bánh chưng', 'Chung Cake', 60_000, 85_000, { tags: ['tet'], use: ['món bánh truyền thống ngày Tết', 'the traditional Tết rice cake'] }],
      ['Bánh tét', 'Tet Cylinder Cake', 60_000, 85_000, { tags: ['tet'], vary: [[['', ''], ['nhân chuối', 'Banana'], ['lá cẩm', 'Purple Leaf']]] }],
      ['Bánh giò', 'Pyramid Rice Dumplings', 12_000, 18_000, { sizes: ['1pc', '2pc'], count: ['cái', 'pcs'], pkg: 'gói', shelf: 2 }],
      ['Bánh da lợn', 'Layered Steamed Cake', 25_000, 35_000, { sizes: ['300g', '500g'], shelf: 2, may: ['vegan', 'gluten-free'] }],
      ['Bánh ít lá gai', 'Ramie Leaf Sticky Rice Cake', 20_000, 30_000, { sizes: ['4pc', '10pc'], count: ['cái', 'pcs'], pkg: 'gói', shelf: 3 }],
      ['Bánh pía', 'Pia Cake', 45_000, 65_000, { sizes: ['400g', '500g'], shelf: 60, tags: ['tet'], vary: [[['', ''], ['sầu riêng trứng', 'Durian & Salted Egg'], ['đậu xanh', 'Mung Bean']]] }],
    ],
  },
];
