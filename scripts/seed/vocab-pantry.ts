/**
 * Vocabulary of the condiments & spices, frozen and canned departments. Prices are VND for the first
 * size listed.
 */
import type { LeafSpec } from './types';

const AMBIENT = 'ambient' as const;
const FROZEN = 'frozen' as const;
const PLANT = ['vegan', 'gluten-free'] as const;
const SPICE = ['Dh Foods', 'Ông Chà Và', 'Tươi', 'McCormick'];

/** Leaves of the condiments & spices, frozen and canned departments. */
// prettier-ignore
export const PANTRY_VOCAB: LeafSpec[] = [
  {
    leaf: 'nuoc-mam',
    d: {
      brands: ['Nam Ngư', 'Chin-su', 'Cholimex', 'Liên Thành', 'Red Boat', 'Khải Hoàn'], sizes: ['500ml', '750ml', '900ml'],
      packs: [3, 12], pkg: 'chai', storage: AMBIENT, shelf: 720, may: ['gluten-free'], vary: ['fishSauceType', 'fishSauceStrength'],
      use: ['dùng nêm nếm, pha nước chấm', 'for seasoning and dipping sauces'],
    },
    items: [
      ['Nước mắm', 'Fish Sauce', 30_000, 45_000],
      ['Nước mắm chay', 'Vegetarian Fish Sauce', 22_000, 32_000, { brands: ['Âu Lạc', 'Liên Thành', 'Tươi'], diet: ['vegan'], vary: [] }],
      ['Nước mắm pha sẵn', 'Ready-made Dipping Sauce', 20_000, 28_000, { brands: ['Nam Ngư', 'Chin-su', 'Cholimex'], sizes: ['250ml', '500ml'], vary: [[['', ''], ['tỏi ớt', 'Garlic Chilli'], ['chua ngọt', 'Sweet & Sour']]] }],
    ],
  },
  {
    leaf: 'nuoc-tuong',
    d: { brands: ['Chin-su', 'Tam Thái Tử', 'Maggi', 'Kikkoman', 'Nam Dương', 'Cholimex'], sizes: ['250ml', '500ml'], packs: [3, 24], pkg: 'chai', storage: AMBIENT, shelf: 720, may: ['vegan'], vary: ['soyType'], use: ['dùng chấm, ướp, kho, xào', 'for dipping, marinating, braising and stir-fries'] },
    items: [
      ['Nước tương', 'Soy Sauce', 12_000, 20_000],
      ['Hắc xì dầu', 'Dark Soy Sauce', 18_000, 28_000, { brands: ['Nam Dương', 'Kikkoman', 'Lee Kum Kee'], vary: [] }],
      ['Nước tương không gluten', 'Gluten-free Tamari', 65_000, 90_000, { brands: ['Kikkoman'], diet: ['vegan', 'gluten-free'], vary: [] }],
    ],
  },
  {
    leaf: 'tuong-ot-tuong-ca',
    d: { brands: ['Chin-su', 'Cholimex', 'Tươi'], sizes: ['250g', '500g'], packs: [3], pkg: 'chai', storage: AMBIENT, shelf: 540, may: ['vegan'], use: ['chấm gà rán, khoai tây chiên, hủ tiếu', 'for fried chicken, fries and noodle soups'] },
    items: [
      ['Tương ớt', 'Chilli Sauce', 12_000, 18_000, { vary: ['chilliHeat'] }],
      ['Tương ớt Sriracha', 'Sriracha Sauce', 45_000, 70_000, { brands: ['Huy Fong', 'Chin-su', 'Cholimex'], sizes: ['482g', '793g'] }],
      ['Tương cà', 'Ketchup', 12_000, 18_000, { brands: ['Chin-su', 'Cholimex', 'Heinz', 'Ottogi'], vary: [[['', ''], ['ít đường', 'Less Sugar']]] }],
      ['Sa tế', 'Chilli Satay Oil', 12_000, 18_000, { sizes: ['90g', '200g'], pkg: 'hũ', vary: ['chilliHeat'] }],
      ['Tương đen', 'Hoisin Sauce', 18_000, 26_000, { brands: ['Cholimex', 'Lee Kum Kee', 'Nam Dương'], sizes: ['230g', '470g'] }],
    ],
  },
  {
    leaf: 'dau-hao',
    d: { brands: ['Maggi', 'Lee Kum Kee', 'Cholimex', 'Nam Dương'], sizes: ['350g', '820g'], packs: [3], pkg: 'chai', storage: AMBIENT, shelf: 540, use: ['dùng xào rau, ướp thịt', 'for stir-fried greens and marinades'] },
    items: [
      ['Dầu hào', 'Oyster Sauce', 25_000, 40_000, { vary: [[['', ''], ['đậm đặc', 'Premium', { price: 1.3 }], ['ít muối', 'Less Salt']]] }],
      ['Dầu hào chay', 'Vegetarian Oyster Sauce', 25_000, 38_000, { brands: ['Lee Kum Kee', 'Âu Lạc'], diet: ['vegan'] }],
    ],
  },
  {
    leaf: 'mam',
    d: { brands: ['Cholimex', 'Liên Thành', 'Tươi'], sizes: ['200g', '500g'], pkg: 'hũ', storage: AMBIENT, shelf: 365, use: ['dùng chấm hoặc kho, nấu lẩu mắm', 'for dipping, braising or fermented fish hot pot'] },
    items: [
      ['Mắm tôm', 'Shrimp Paste', 15_000, 22_000],
      ['Mắm nêm', 'Anchovy Dipping Paste', 18_000, 26_000],
      ['Mắm ruốc', 'Fermented Krill Paste', 20_000, 30_000],
      ['Mắm cá linh', 'Fermented Linh Fish', 40_000, 60_000],
      ['Mắm tép', 'Fermented Shrimp', 35_000, 50_000],
      ['Mắm thái', 'Papaya Fish Paste', 45_000, 65_000],
    ],
  },
  {
    leaf: 'sot-uop',
    d: { brands: ['Barona', 'Cholimex', 'Lee Kum Kee', 'Knorr', 'Dh Foods'], sizes: ['80g', '200g'], packs: [3], pkg: 'gói', storage: AMBIENT, shelf: 365, use: ['ướp 15–30 phút rồi chế biến', 'marinate for 15–30 minutes, then cook'] },
    items: [
      ['Sốt ướp thịt nướng', 'BBQ Marinade', 10_000, 15_000],
      ['Sốt kho thịt', 'Braised Pork Sauce', 10_000, 15_000],
      ['Sốt cà chua nấu ăn', 'Tomato Cooking Sauce', 12_000, 18_000, { may: ['vegan'] }],
      ['Sốt tiêu đen', 'Black Pepper Sauce', 15_000, 22_000],
      ['Sốt teriyaki', 'Teriyaki Sauce', 35_000, 50_000, { brands: ['Kikkoman', 'Lee Kum Kee', 'Barona'], sizes: ['250ml', '500ml'], pkg: 'chai' }],
      ['Sốt lẩu thái', 'Tom Yum Paste', 15_000, 22_000],
      ['Sốt bò kho', 'Beef Stew Sauce', 12_000, 18_000],
      ['Sốt mì Ý bò bằm', 'Bolognese Sauce', 30_000, 45_000, { sizes: ['250g', '500g'], pkg: 'hũ' }],
    ],
  },
  {
    leaf: 'mayonnaise',
    d: { brands: ['Ajinomoto|Aji-mayo', 'Kewpie', 'Heinz', 'Ottogi'], sizes: ['130g', '260g'], packs: [3], pkg: 'chai', storage: AMBIENT, shelf: 270, use: ['dùng làm salad, bánh mì, chấm', 'for salads, sandwiches and dips'] },
    items: [
      ['Sốt mayonnaise', 'Mayonnaise', 18_000, 28_000, { vary: [[['', ''], ['ít béo', 'Light'], ['vị ngọt', 'Sweet'], ['cay', 'Spicy']]] }],
      ['Sốt mè rang', 'Roasted Sesame Dressing', 30_000, 45_000, { brands: ['Kewpie', 'Ajinomoto', 'Ottogi'] }],
      ['Sốt Thousand Island', 'Thousand Island Dressing', 28_000, 42_000, { brands: ['Kewpie', 'Heinz'] }],
      ['Sốt mù tạt mật ong', 'Honey Mustard', 35_000, 50_000, { brands: ['Heinz', 'Kewpie'] }],
    ],
  },
  {
    leaf: 'dau-thuc-vat',
    d: { brands: ['Simply', 'Neptune', 'Meizan', 'Tường An', 'Cái Lân'], sizes: ['1l', '2l', '5l'], packs: [6, 12], pkg: 'chai', storage: AMBIENT, shelf: 540, may: PLANT, use: ['dùng chiên, xào, trộn salad', 'for frying, stir-frying and dressings'] },
    items: [
      ['Dầu ăn', 'Cooking Oil', 45_000, 65_000, { vary: ['oilType'] }],
      ['Dầu đậu nành', 'Soybean Oil', 50_000, 68_000],
      ['Dầu phộng', 'Peanut Oil', 85_000, 120_000, { brands: ['Tường An', 'Tươi', 'Nakydaco'], sizes: ['500ml', '1l'] }],
      ['Dầu ăn cho bé', "Kids' Cooking Oil", 60_000, 90_000, { brands: ['Meizan', 'Simply', 'Nakydaco'], sizes: ['250ml', '500ml'], packs: [] }],
    ],
  },
  {
    leaf: 'dau-dac-biet',
    d: { brands: ['Borges', 'Olivoilà', 'Tươi'], sizes: ['250ml', '500ml', '1l'], packs: [2], pkg: 'chai', storage: AMBIENT, shelf: 540, may: PLANT },
    items: [
      ['Dầu ô liu', 'Olive Oil', 90_000, 140_000, { vary: [[['extra virgin', 'Extra Virgin', { price: 1.3 }], ['nguyên chất', 'Pure'], ['pomace', 'Pomace', { price: 0.8 }]]], use: ['dùng trộn salad, áp chảo', 'for salads and pan-frying'] }],
      ['Dầu mè', 'Sesame Oil', 40_000, 60_000, { brands: ['Ottogi', 'Nakydaco', 'Tường An'], sizes: ['100ml', '250ml'], vary: [[['', ''], ['đen', 'Black'], ['nguyên chất', 'Pure']]] }],
      ['Dầu dừa', 'Coconut Oil', 60_000, 90_000, { brands: ['Vietcoco', 'Tươi'], vary: [[['', ''], ['ép lạnh', 'Cold-pressed', { price: 1.3 }], ['hữu cơ', 'Organic', { diet: ['organic'], price: 1.5 }]]] }],
      ['Dầu gấc', 'Gac Fruit Oil', 80_000, 120_000, { brands: ['Tươi', 'Vietcoco'], sizes: ['100ml', '250ml'] }],
    ],
  },
  {
    leaf: 'duong',
    d: { brands: ['Biên Hòa', 'Quảng Ngãi', 'Tươi'], sizes: ['500g', '1kg'], pkg: 'túi', storage: AMBIENT, shelf: 720, may: PLANT, use: ['dùng nấu chè, pha nước, làm bánh', 'for sweet soups, drinks and baking'] },
    items: [
      ['Đường', 'Sugar', 14_000, 20_000, { vary: [[['trắng', 'White'], ['vàng', 'Golden'], ['tinh luyện', 'Refined'], ['nâu', 'Brown'], ['mía hữu cơ', 'Organic Cane', { diet: ['organic'], price: 2 }]]] }],
      ['Đường phèn', 'Rock Sugar', 22_000, 30_000],
      ['Đường thốt nốt', 'Palm Sugar', 40_000, 60_000, { sizes: ['250g', '500g'] }],
      ['Đường ăn kiêng', 'Sweetener', 90_000, 130_000, { brands: ['Tropicana Slim', 'Biên Hòa'], sizes: ['25pc', '50pc'], count: ['gói', 'sachets'], pkg: 'hộp', diet: ['sugar-free'] }],
    ],
  },
  {
    leaf: 'muoi',
    d: { brands: ['Dh Foods', 'Tươi'], sizes: ['200g', '500g'], pkg: 'gói', storage: AMBIENT, shelf: 720, may: PLANT },
    items: [
      ['Muối', 'Salt', 4_000, 7_000, { sizes: ['500g', '1kg'], vary: [[['i-ốt', 'Iodised'], ['hột', 'Coarse Sea'], ['biển', 'Sea'], ['hồng Himalaya', 'Himalayan Pink', { price: 4 }]]] }],
      ['Muối tôm Tây Ninh', 'Tay Ninh Chilli Shrimp Salt', 18_000, 28_000, { sizes: ['100g', '200g'], pkg: 'hũ', may: [] }],
      ['Muối ớt xanh', 'Green Chilli Salt Sauce', 20_000, 30_000, { sizes: ['100g', '200g'], pkg: 'hũ' }],
      ['Muối tiêu chanh', 'Salt, Pepper & Lime Dip', 12_000, 18_000, { sizes: ['100g', '200g'], pkg: 'hũ' }],
    ],
  },
  {
    leaf: 'hat-nem',
    d: { brands: ['Knorr', 'Ajinomoto|Aji-ngon', 'Maggi', 'Chin-su'], sizes: ['400g', '900g'], packs: [2], pkg: 'gói', storage: AMBIENT, shelf: 540, use: ['dùng nêm canh, xào, kho', 'for soups, stir-fries and braises'] },
    items: [
      ['Hạt nêm', 'Seasoning Powder', 30_000, 42_000, { vary: [[['thịt thăn xương ống', 'Pork Bone'], ['gà', 'Chicken'], ['nấm hương', 'Shiitake'], ['tôm', 'Shrimp']]] }],
      ['Hạt nêm chay', 'Vegetarian Seasoning', 30_000, 42_000, { brands: ['Knorr', 'Âu Lạc', 'Tươi'], diet: ['vegan'] }],
      ['Hạt nêm cho bé', "Kids' Seasoning", 45_000, 65_000, { brands: ['Knorr', 'Tươi'], sizes: ['100g', '200g'] }],
    ],
  },
  {
    leaf: 'bot-ngot',
    d: { brands: ['Ajinomoto', 'Vedan', 'Miwon'], sizes: ['400g', '1kg'], pkg: 'gói', storage: AMBIENT, shelf: 720, may: PLANT },
    items: [
      ['Bột ngọt', 'MSG Seasoning', 25_000, 35_000, { vary: [[['', ''], ['hạt nhỏ', 'Fine'], ['hạt lớn', 'Coarse']]] }],
      ['Bột canh', 'Seasoned Salt', 4_000, 6_000, { brands: ['Hải Châu', 'Vifon', 'Tươi'], sizes: ['190g', '400g'] }],
      ['Bột canh i-ốt', 'Iodised Seasoned Salt', 4_500, 6_500, { brands: ['Hải Châu', 'Vifon', 'Tươi'], sizes: ['190g', '400g'] }],
    ],
  },
  {
    leaf: 'tieu-ot-bot',
    d: { brands: SPICE, sizes: ['50g', '100g'], pkg: 'hũ', storage: AMBIENT, shelf: 720, may: PLANT },
    items: [
      ['Tiêu đen xay', 'Ground Black Pepper', 20_000, 30_000, { vary: [[['', ''], ['Phú Quốc', 'Phu Quoc', { price: 1.4 }], ['nguyên chất', 'Pure']]] }],
      ['Tiêu đen hạt', 'Black Peppercorns', 18_000, 28_000],
      ['Tiêu sọ', 'White Peppercorns', 30_000, 45_000],
      ['Ớt bột', 'Chilli Powder', 12_000, 18_000, { vary: ['chilliHeat'] }],
      ['Bột cà ri', 'Curry Powder', 15_000, 22_000],
      ['Quế cây', 'Cinnamon Sticks', 15_000, 25_000],
      ['Hoa hồi', 'Star Anise', 18_000, 28_000],
      ['Bột nghệ', 'Turmeric Powder', 15_000, 22_000],
      ['Ngũ vị hương', 'Five-spice Powder', 8_000, 12_000, { sizes: ['10g', '50g'], pkg: 'gói' }],
    ],
  },
  {
    leaf: 'gia-vi-nau-san',
    d: { brands: ['Barona', 'Ông Chà Và', 'Dh Foods', 'Knorr', 'Ajinomoto|Aji-Quick'], sizes: ['40g', '80g'], packs: [3], pkg: 'gói', storage: AMBIENT, shelf: 365, use: ['đủ gia vị cho một nồi 2–3 lít', 'seasons a 2–3 litre pot'] },
    items: [
      ['Gia vị phở bò', 'Beef Pho Seasoning', 8_000, 12_000],
      ['Gia vị bò kho', 'Beef Stew Seasoning', 7_000, 10_000],
      ['Gia vị lẩu thái', 'Tom Yum Seasoning', 8_000, 12_000],
      ['Gia vị thịt kho', 'Braised Pork Seasoning', 7_000, 10_000],
      ['Gia vị bún bò Huế', 'Hue Beef Noodle Seasoning', 8_000, 12_000],
      ['Gia vị cà ri', 'Curry Seasoning Mix', 8_000, 12_000],
      ['Gia vị cá kho', 'Braised Fish Seasoning', 7_000, 10_000],
      ['Gia vị lẩu mắm', 'Fermented Fish Hot Pot Seasoning', 9_000, 13_000],
    ],
  },
  {
    leaf: 'giam',
    d: { brands: ['Ajinomoto|Lisa', 'Heinz', 'Tươi'], sizes: ['400ml', '1l'], pkg: 'chai', storage: AMBIENT, shelf: 720, may: PLANT, use: ['dùng pha nước chấm, làm dưa chua, trộn gỏi', 'for dipping sauces, pickles and salads'] },
    items: [
      ['Giấm gạo', 'Rice Vinegar', 8_000, 14_000],
      ['Giấm táo', 'Apple Cider Vinegar', 40_000, 70_000, { brands: ['Heinz', 'Tươi'], sizes: ['500ml', '1l'], vary: [[['', ''], ['hữu cơ', 'Organic', { diet: ['organic'], price: 1.5 }]]] }],
      ['Giấm balsamic', 'Balsamic Vinegar', 90_000, 140_000, { brands: ['Borges', 'Tươi'], sizes: ['250ml', '500ml'] }],
      ['Giấm nếp', 'Glutinous Rice Vinegar', 10_000, 15_000],
    ],
  },
  {
    leaf: 'mat-ong-mut-phet',
    d: { brands: ['Honimore', 'Xuân Nguyên', 'Tươi'], sizes: ['250g', '500g'], pkg: 'hũ', storage: AMBIENT, shelf: 720 },
    items: [
      ['Mật ong', 'Honey', 70_000, 110_000, { diet: ['gluten-free'], vary: [[['', ''], ['hoa cà phê', 'Coffee Blossom'], ['hoa nhãn', 'Longan Blossom'], ['rừng', 'Wild Forest', { price: 1.5 }], ['bạc hà', 'Mint Blossom', { price: 1.6 }]]], use: ['pha nước ấm, chanh hoặc dùng với bánh mì', 'stir into warm water with lemon or spread on toast'] }],
      ['Bơ đậu phộng', 'Peanut Butter', 45_000, 70_000, { brands: ['Golden Farm', 'Skippy', 'Tươi'], sizes: ['170g', '340g'], may: ['vegan'], vary: [[['mịn', 'Smooth'], ['có hạt', 'Crunchy']]] }],
      ['Mứt dâu', 'Strawberry Jam', 35_000, 55_000, { brands: ['Golden Farm', 'Tươi'], sizes: ['200g', '450g'], may: ['vegan'] }],
      ['Sô cô la phết', 'Chocolate Spread', 60_000, 90_000, { brands: ['Nutella', 'Golden Farm'], sizes: ['200g', '350g'] }],
    ],
  },
  {
    leaf: 'hai-san-dong-lanh',
    d: { brands: ['Minh Phú', 'Sài Gòn Food', 'Cầu Tre', 'Tươi'], sizes: ['300g', '500g', '1kg'], pkg: 'túi', storage: FROZEN, shelf: 365, use: ['rã đông trong ngăn mát trước khi chế biến', 'thaw in the fridge before cooking'] },
    items: [
      ['Tôm thẻ đông lạnh', 'Frozen Whiteleg Shrimp', 75_000, 100_000, { vary: [[['', ''], ['bóc vỏ', 'Peeled', { price: 1.3 }], ['tẩm bột', 'Breaded'], ['chừa đuôi', 'Tail-on']]] }],
      ['Cá basa phi lê đông lạnh', 'Frozen Basa Fillet', 40_000, 55_000, { brands: ['Vĩnh Hoàn', 'Sài Gòn Food', 'Tươi'] }],
      ['Cá hồi phi lê đông lạnh', 'Frozen Salmon Fillet', 180_000, 240_000, { brands: ['Tươi', 'Sài Gòn Food'], origin: 'no', sizes: ['300g', '500g'] }],
      ['Mực ống đông lạnh', 'Frozen Squid', 80_000, 110_000, { vary: [[['', ''], ['cắt khoanh', 'Rings'], ['làm sạch', 'Cleaned']]] }],
      ['Nghêu đông lạnh', 'Frozen Clams', 35_000, 50_000],
      ['Cá saba đông lạnh', 'Frozen Saba Mackerel', 60_000, 85_000, { origin: 'no' }],
    ],
  },
  {
    leaf: 'thit-dong-lanh',
    d: { brands: ['CP', 'Tươi', 'MEATDeli'], sizes: ['500g', '1kg'], pkg: 'túi', storage: FROZEN, shelf: 365, use: ['rã đông trong ngăn mát trước khi chế biến', 'thaw in the fridge before cooking'] },
    items: [
      ['Ba chỉ bò Mỹ cuộn', 'US Beef Plate Rolls', 110_000, 150_000, { origin: 'us', use: ['thái mỏng sẵn, dùng nhúng lẩu', 'thinly sliced for hot pot'] }],
      ['Sườn heo đông lạnh', 'Frozen Pork Ribs', 80_000, 110_000],
      ['Cánh gà đông lạnh', 'Frozen Chicken Wings', 50_000, 70_000, { may: ['halal'] }],
      ['Đùi gà đông lạnh', 'Frozen Chicken Drumsticks', 45_000, 65_000, { may: ['halal'] }],
      ['Thịt cừu đông lạnh', 'Frozen Lamb Chops', 250_000, 350_000, { origin: 'au', brands: ['Tươi'] }],
      ['Thăn bò Úc đông lạnh', 'Frozen Australian Beef Striploin', 200_000, 280_000, { origin: 'au', brands: ['Tươi', 'MEATDeli'], sizes: ['300g', '500g'] }],
    ],
  },
  {
    leaf: 'cha-gio-ha-cao',
    d: { brands: ['Cầu Tre', 'Vissan', 'CP', 'Sài Gòn Food', 'Bibigo'], sizes: ['300g', '500g'], pkg: 'gói', storage: FROZEN, shelf: 365, use: ['chiên hoặc hấp trực tiếp, không cần rã đông', 'fry or steam from frozen'] },
    items: [
      ['Chả giò', 'Spring Rolls', 45_000, 65_000, { vary: [[['', ''], ['tôm cua', 'Shrimp & Crab'], ['thịt heo', 'Pork'], ['rế', 'Lacy'], ['hải sản', 'Seafood'], ['chay', 'Vegetarian', { diet: ['vegetarian'] }]]] }],
      ['Há cảo', 'Har Gow Dumplings', 45_000, 65_000, { vary: [[['', ''], ['tôm', 'Shrimp'], ['thịt', 'Pork']]] }],
      ['Sủi cảo', 'Wonton Dumplings', 45_000, 65_000, { vary: [[['', ''], ['tôm thịt', 'Shrimp & Pork'], ['chay', 'Vegetarian', { diet: ['vegetarian'] }]]] }],
      ['Bánh xếp', 'Gyoza', 50_000, 70_000, { vary: [[['', ''], ['thịt rau', 'Pork & Vegetable'], ['kim chi', 'Kimchi']]] }],
      ['Bánh xếp Hàn Quốc', 'Korean Mandu', 70_000, 95_000, { brands: ['Bibigo'] }],
    ],
  },
  {
    leaf: 'vien-tha-lau',
    d: { brands: ['CP', 'Vissan', 'Cầu Tre', 'Sài Gòn Food'], sizes: ['200g', '500g'], pkg: 'gói', storage: FROZEN, shelf: 365, vary: [[['', ''], ['phô mai', 'Cheese-filled'], ['cay', 'Spicy']]], use: ['thả lẩu, chiên hoặc nấu canh', 'add to hot pot, fry or cook in soups'] },
    items: [
      ['Cá viên', 'Fish Balls', 25_000, 35_000],
      ['Bò viên', 'Beef Balls', 40_000, 55_000],
      ['Tôm viên', 'Shrimp Balls', 40_000, 55_000],
      ['Đậu hũ cá', 'Fish Tofu', 30_000, 42_000, { vary: [] }],
      ['Viên thả lẩu thập cẩm', 'Assorted Hot Pot Balls', 35_000, 48_000],
      ['Heo viên', 'Pork Balls', 35_000, 48_000],
    ],
  },
  {
    leaf: 'rau-cu-dong-lanh',
    d: { brands: ['Tươi', 'Aviko', 'McCain'], sizes: ['400g', '1kg'], pkg: 'túi', storage: FROZEN, shelf: 540, may: PLANT, use: ['nấu trực tiếp, không cần rã đông', 'cook from frozen'] },
    items: [
      ['Đậu Hà Lan đông lạnh', 'Frozen Green Peas', 30_000, 42_000],
      ['Bắp hạt đông lạnh', 'Frozen Sweet Corn', 28_000, 40_000],
      ['Rau củ thập cẩm đông lạnh', 'Frozen Mixed Vegetables', 30_000, 45_000],
      ['Đậu nành Nhật đông lạnh', 'Frozen Edamame', 35_000, 50_000],
      ['Bông cải xanh đông lạnh', 'Frozen Broccoli', 40_000, 55_000],
    ],
  },
  {
    leaf: 'khoai-tay-pizza',
    d: { brands: ['Aviko', 'McCain', 'Tươi'], sizes: ['500g', '1kg'], pkg: 'túi', storage: FROZEN, shelf: 540, use: ['chiên ngập dầu hoặc nướng nồi chiên không dầu', 'deep-fry or air-fry'] },
    items: [
      ['Khoai tây chiên đông lạnh', 'Frozen French Fries', 45_000, 65_000, { may: PLANT, vary: [[['', ''], ['cắt thẳng', 'Straight-cut'], ['cắt lượn sóng', 'Crinkle-cut'], ['múi cau', 'Wedges']]] }],
      ['Pizza đông lạnh', 'Frozen Pizza', 70_000, 100_000, { brands: ['Tươi', 'CP'], sizes: ['350g', '500g'], pkg: 'hộp', vary: [[['hải sản', 'Seafood'], ['phô mai', 'Cheese', { diet: ['vegetarian'] }], ['xúc xích', 'Pepperoni'], ['gà nướng', 'BBQ Chicken']]] }],
      ['Gà rán đông lạnh', 'Frozen Fried Chicken', 60_000, 85_000, { brands: ['CP', 'Tươi'], vary: [[['', ''], ['cay', 'Spicy'], ['không xương', 'Boneless']]] }],
      ['Bánh mì pate đông lạnh', 'Frozen Pâté Baguettes', 35_000, 50_000, { brands: ['Tươi', 'Vissan'], sizes: ['2pc', '5pc'], count: ['ổ', 'pcs'] }],
    ],
  },
  {
    leaf: 'kem',
    d: { brands: ['Merino', 'Celano', "Wall's", 'Tràng Tiền', 'Vinamilk', 'TH true MILK'], sizes: ['450ml', '1l'], pkg: 'hộp', storage: FROZEN, shelf: 365, vary: ['iceCreamFlavour'], may: ['vegetarian'] },
    items: [
      ['Kem hộp', 'Ice Cream Tub', 45_000, 65_000],
      ['Kem que', 'Ice Cream Bar', 8_000, 14_000, { sizes: ['1pc', '5pc'], count: ['que', 'bars'] }],
      ['Kem ốc quế', 'Ice Cream Cone', 12_000, 18_000, { sizes: ['1pc', '4pc'], count: ['cây', 'cones'] }],
      ['Kem cao cấp', 'Premium Ice Cream', 130_000, 180_000, { brands: ['Häagen-Dazs'], sizes: ['100ml', '473ml'] }],
    ],
  },
  {
    leaf: 'ca-hop',
    d: { brands: ['3 Cô Gái', 'Hạ Long', 'Ayam', 'Tươi'], sizes: ['155g', '425g'], packs: [3, 10], pkg: 'lon', storage: AMBIENT, shelf: 1095, use: ['dùng ngay hoặc kho lại với cà chua', 'eat as is or simmer with tomatoes'] },
    items: [
      ['Cá mòi sốt cà', 'Sardines in Tomato Sauce', 18_000, 25_000],
      ['Cá nục sốt cà', 'Scad in Tomato Sauce', 16_000, 22_000],
      ['Cá ngừ đóng hộp', 'Tuna', 25_000, 38_000, { brands: ['Hạ Long', 'Dongwon', 'Ayam', 'Tươi'], vary: ['tunaStyle'] }],
      ['Cá trích sốt cà', 'Herring in Tomato Sauce', 20_000, 28_000],
      ['Cá thu sốt cà', 'Mackerel in Tomato Sauce', 22_000, 30_000, { vary: [[['', ''], ['cay', 'Spicy']]] }],
    ],
  },
  {
    leaf: 'thit-hop-pate',
    d: { brands: ['Hạ Long', 'Vissan', 'Tươi'], sizes: ['170g', '340g'], packs: [3], pkg: 'lon', storage: AMBIENT, shelf: 1095, use: ['dùng với bánh mì, cơm', 'serve with bread or rice'] },
    items: [
      ['Pate gan heo', 'Pork Liver Pâté', 20_000, 28_000, { brands: ['Hạ Long', 'Vissan', 'Cột Đèn'] }],
      ['Thịt hộp', 'Luncheon Meat', 45_000, 65_000, { brands: ['Tulip', 'Spam', 'Hạ Long', 'Vissan'], vary: [[['', ''], ['ít muối', 'Less Salt'], ['vị tiêu', 'Black Pepper']]] }],
      ['Bò hầm đóng hộp', 'Canned Stewed Beef', 35_000, 48_000],
      ['Heo hầm đóng hộp', 'Canned Stewed Pork', 30_000, 42_000],
      ['Gà xé đóng hộp', 'Canned Shredded Chicken', 32_000, 45_000],
    ],
  },
  {
    leaf: 'rau-qua-dong-hop',
    d: { brands: ['Del Monte', 'Dole', 'Hạ Long', 'Tươi'], sizes: ['400g', '850g'], packs: [3], pkg: 'lon', storage: AMBIENT, shelf: 730, may: PLANT },
    items: [
      ['Bắp ngọt đóng hộp', 'Canned Sweet Corn', 22_000, 32_000],
      ['Đậu Hà Lan đóng hộp', 'Canned Green Peas', 20_000, 30_000],
      ['Dứa đóng hộp', 'Canned Pineapple', 28_000, 40_000],
      ['Vải ngâm', 'Lychees in Syrup', 30_000, 45_000],
      ['Đào ngâm', 'Peaches in Syrup', 40_000, 55_000],
      ['Nấm rơm đóng hộp', 'Canned Straw Mushrooms', 20_000, 30_000],
      ['Cà chua đóng hộp', 'Canned Tomatoes', 25_000, 38_000],
      ['Trái cây nhiệt đới đóng hộp', 'Tropical Fruit Cocktail', 40_000, 55_000],
    ],
  },
  {
    leaf: 'dua-mon-do-chua',
    d: { brands: ['Tươi', 'Hạ Long', 'Cholimex'], sizes: ['300g', '500g'], pkg: 'hũ', storage: AMBIENT, shelf: 365, may: ['vegan'] },
    items: [
      ['Dưa món', 'Tet Pickled Vegetables', 35_000, 50_000, { tags: ['tet'] }],
      ['Dưa chuột bao tử', 'Pickled Gherkins', 30_000, 45_000],
      ['Măng ngâm', 'Pickled Bamboo Shoots', 25_000, 35_000],
      ['Ớt ngâm', 'Pickled Chillies', 15_000, 22_000, { sizes: ['200g', '400g'] }],
      ['Tỏi ngâm', 'Pickled Garlic', 30_000, 42_000, { sizes: ['200g', '400g'] }],
      ['Ô liu ngâm', 'Pickled Olives', 55_000, 80_000, { brands: ['Borges', 'Tươi'], sizes: ['240g', '450g'] }],
    ],
  },
  {
    leaf: 'sup-yen',
    d: { brands: ['Sanest', 'Tươi'], sizes: ['70ml'], packs: [6, 30], pkg: 'lọ', storage: AMBIENT, shelf: 730 },
    items: [
      ['Nước yến sào', "Bird's Nest Drink", 30_000, 45_000, { vary: [[['', ''], ['đường phèn', 'Rock Sugar'], ['không đường', 'Sugar-free', { diet: ['sugar-free'] }], ['hạt chia', 'Chia Seed']]] }],
      ['Súp kem nấm', 'Cream of Mushroom Soup', 35_000, 50_000, { brands: ["Campbell's", 'Tươi'], sizes: ['300g'], pkg: 'lon' }],
      ['Súp gà ngô', 'Chicken & Corn Soup', 35_000, 50_000, { brands: ["Campbell's", 'Tươi'], sizes: ['300g'], pkg: 'lon' }],
      ['Súp cua', 'Crab Soup', 30_000, 45_000, { brands: ['Tươi', 'Sài Gòn Food'], sizes: ['300g'], pkg: 'lon' }],
    ],
  },
];
