/**
 * Vocabulary of the dairy and the rice, noodles & flour departments. Prices are VND for the first
 * size listed.
 */
import type { LeafSpec } from './types';

const MILK = [
  'Vinamilk',
  'TH true MILK',
  'Dalat Milk',
  'Mộc Châu Milk',
  'Dutch Lady',
  'Nutifood',
  'Lothamilk',
];
const RICE = ['Lộc Trời', 'Hạt Ngọc Trời', 'Vinh Hiển', 'Meizan', 'Tươi'];
const DRY = ['Tươi', 'Nông Lâm Food'];
const PLANT = ['vegan', 'gluten-free'] as const;
const AMBIENT = 'ambient' as const;

/** Leaves of the dairy and rice, noodles & flour departments. */
// prettier-ignore
export const DAIRY_GROCERY_VOCAB: LeafSpec[] = [
  {
    leaf: 'sua-tuoi',
    d: { brands: MILK, sizes: ['180ml', '1l'], packs: [4, 48], pkg: 'hộp', storage: AMBIENT, shelf: 180, may: ['vegetarian'], use: ['uống trực tiếp, ngon hơn khi uống lạnh', 'drink as is, best chilled'] },
    items: [
      ['Sữa tươi', 'Fresh Milk', 7_000, 9_000, { vary: ['milkProcess', 'milkSugar', 'milkExtra'] }],
      ['Sữa tiệt trùng', 'UHT Milk', 6_500, 8_500, { vary: ['milkSugar', 'milkFlavour'] }],
      ['Sữa tươi A2', 'A2 Fresh Milk', 9_500, 12_000, { brands: ['Vinamilk', 'TH true MILK', 'Dalat Milk'], vary: ['milkProcess', 'milkSugar'] }],
    ],
  },
  {
    leaf: 'sua-dau-nanh',
    d: { brands: ['Vinasoy|Fami', 'Vinasoy|Veyo', 'Vinamilk', 'Tươi'], sizes: ['200ml', '1l'], packs: [6, 36], pkg: 'hộp', storage: AMBIENT, shelf: 180, diet: ['lactose-free'], may: ['vegan'], vary: ['soyFlavour'] },
    items: [
      ['Sữa đậu nành', 'Soy Milk', 5_500, 7_000],
      ['Sữa đậu nành tươi', 'Fresh Soy Milk', 8_000, 11_000, { brands: ['Tươi', 'Vinasoy|Fami'], sizes: ['250ml', '1l'], packs: [], storage: 'chilled', shelf: 5 }],
      ['Sữa đậu xanh', 'Mung Bean Milk', 7_000, 9_000, { brands: ['Vinasoy|Fami', 'Tươi'], vary: [] }],
    ],
  },
  {
    leaf: 'sua-hat',
    d: { brands: ['TH true MILK', 'Vinamilk', 'Vinasoy|Veyo', '137 Degrees'], sizes: ['180ml', '1l'], packs: [4, 24], pkg: 'hộp', storage: AMBIENT, shelf: 270, diet: ['lactose-free'], may: ['vegan'], vary: ['nutMilkSugar'] },
    items: [
      ['Sữa hạt óc chó', 'Walnut Milk', 9_000, 12_000],
      ['Sữa hạnh nhân', 'Almond Milk', 9_000, 13_000, { brands: ['137 Degrees', 'Alpro', 'TH true MILK', 'Vinamilk'] }],
      ['Sữa yến mạch', 'Oat Milk', 10_000, 14_000, { brands: ['Oatside', 'Alpro', 'Vinamilk'] }],
      ['Sữa hạt macca', 'Macadamia Milk', 11_000, 15_000],
      ['Sữa gạo lứt', 'Brown Rice Milk', 8_000, 11_000, { may: ['vegan', 'gluten-free'] }],
      ['Sữa hạt điều', 'Cashew Milk', 10_000, 14_000],
    ],
  },
  {
    leaf: 'sua-dac',
    d: { brands: ['Vinamilk|Ông Thọ', 'Vinamilk|Ngôi Sao Phương Nam', 'Dutch Lady|Cô Gái Hà Lan', 'Nestlé'], sizes: ['380g', '1kg'], packs: [3, 48], pkg: 'lon', storage: AMBIENT, shelf: 365, may: ['vegetarian'], use: ['dùng pha cà phê sữa, làm bánh, chấm bánh mì', 'for Vietnamese iced coffee, baking or dipping bread'] },
    items: [
      ['Sữa đặc có đường', 'Sweetened Condensed Milk', 24_000, 30_000, { vary: [[['', ''], ['nhãn đỏ', 'Red Label'], ['nhãn xanh', 'Green Label'], ['nhãn trắng', 'White Label']]] }],
      ['Kem đặc có đường', 'Sweetened Condensed Creamer', 18_000, 24_000],
      ['Sữa đặc tuýp', 'Condensed Milk Tube', 20_000, 26_000, { sizes: ['165g', '300g'], pkg: 'tuýp' }],
    ],
  },
  {
    leaf: 'sua-chua-an',
    d: { brands: ['Vinamilk', 'TH true MILK', 'Dalat Milk', 'Mộc Châu Milk', 'Ba Vì', 'Nutifood'], sizes: ['100g'], packs: [4, 48], pkg: 'hộp', storage: 'chilled', shelf: 30, may: ['vegetarian'], use: ['ăn lạnh, dùng kèm trái cây hoặc ngũ cốc', 'eat chilled, with fruit or granola'] },
    items: [
      ['Sữa chua', 'Yogurt', 6_000, 8_000, { vary: ['yogurtSugar', 'yogurtFlavour'] }],
      ['Sữa chua Hy Lạp', 'Greek Yogurt', 14_000, 20_000, { sizes: ['100g', '450g'], vary: ['yogurtSugar', 'yogurtFlavour'] }],
      ['Sữa chua men sống', 'Probiotic Yogurt', 7_000, 9_000, { vary: ['yogurtFlavour'] }],
      ['Sữa chua nếp cẩm', 'Black Sticky Rice Yogurt', 7_500, 9_500, { vary: [] }],
      ['Váng sữa', 'Dairy Dessert', 10_000, 14_000, { sizes: ['55g'], vary: [[['vani', 'Vanilla'], ['sô cô la', 'Chocolate'], ['dâu', 'Strawberry']]] }],
    ],
  },
  {
    leaf: 'sua-chua-uong',
    d: { brands: ['Vinamilk|Probi', 'Yakult', 'Betagen', 'TH true MILK', 'Nutifood', 'Dutch Lady'], sizes: ['65ml', '130ml'], packs: [5, 10], pkg: 'chai', storage: 'chilled', shelf: 30, vary: ['drinkYogurtFlavour'], may: ['vegetarian'] },
    items: [
      ['Sữa chua uống men sống', 'Probiotic Drinking Yogurt', 4_500, 6_000],
      ['Sữa chua uống', 'Drinking Yogurt', 7_000, 9_000, { sizes: ['180ml', '1l'], packs: [4, 48], pkg: 'hộp', storage: AMBIENT, shelf: 180 }],
    ],
  },
  {
    leaf: 'bo',
    d: { brands: ['Anchor', 'Président', 'Lurpak', 'Elle & Vire'], sizes: ['100g', '200g', '500g'], storage: 'chilled', shelf: 180, pkg: 'hộp', diet: ['vegetarian'], use: ['dùng phết bánh mì, làm bánh, áp chảo', 'spread on toast, bake or pan-fry'] },
    items: [
      ['Bơ', 'Butter', 45_000, 65_000, { vary: [[['lạt', 'Unsalted'], ['mặn', 'Salted'], ['lạt hữu cơ', 'Organic Unsalted', { diet: ['organic'], price: 1.4 }]]] }],
      ['Bơ lên men', 'Cultured Butter', 60_000, 85_000, { brands: ['Elle & Vire', 'Président', 'Lurpak'] }],
      ['Bơ thực vật', 'Margarine', 20_000, 28_000, { brands: ['Tường An', 'Meizan', 'Tươi'], sizes: ['200g', '800g'], diet: ['vegan', 'lactose-free'] }],
      ['Bơ tỏi', 'Garlic Butter', 40_000, 55_000, { sizes: ['100g', '250g'], shelf: 90 }],
    ],
  },
  {
    leaf: 'pho-mai',
    d: { brands: ['Con Bò Cười', 'Président', 'Anchor', 'Emborg'], sizes: ['200g', '500g'], storage: 'chilled', shelf: 120, pkg: 'gói', may: ['vegetarian', 'gluten-free'], use: ['dùng kẹp bánh mì, làm pizza, mì Ý', 'for sandwiches, pizza and pasta'] },
    items: [
      ['Phô mai lát', 'Cheese Slices', 45_000, 60_000, { sizes: ['10pc', '24pc'], count: ['lát', 'slices'], vary: [[['', ''], ['cheddar', 'Cheddar'], ['ít béo', 'Light']]] }],
      ['Phô mai tam giác', 'Cheese Triangles', 30_000, 40_000, { sizes: ['8pc', '16pc'], count: ['miếng', 'portions'], pkg: 'hộp', vary: [[['', ''], ['vị dâu', 'Strawberry'], ['ít béo', 'Light']]] }],
      ['Phô mai mozzarella', 'Mozzarella', 70_000, 95_000, { vary: [[['', ''], ['bào sợi', 'Shredded']]] }],
      ['Phô mai cheddar', 'Cheddar', 75_000, 100_000, { vary: [[['', ''], ['bào sợi', 'Shredded'], ['lâu năm', 'Mature']]] }],
      ['Phô mai kem', 'Cream Cheese', 45_000, 65_000, { sizes: ['150g', '250g'], pkg: 'hộp' }],
      ['Phô mai parmesan', 'Parmesan', 90_000, 130_000, { sizes: ['100g', '200g'], shelf: 240 }],
    ],
  },
  {
    leaf: 'kem-sua',
    d: { brands: ['Anchor', 'Elle & Vire', 'Président', 'TH true MILK'], sizes: ['250ml', '1l'], storage: 'chilled', shelf: 90, pkg: 'hộp', diet: ['vegetarian'], use: ['dùng đánh bông, nấu súp, làm bánh', 'whip, cook in soups or bake'] },
    items: [
      ['Kem tươi whipping', 'Whipping Cream', 50_000, 70_000],
      ['Kem nấu ăn', 'Cooking Cream', 45_000, 62_000],
      ['Kem chua', 'Sour Cream', 35_000, 48_000, { sizes: ['200g', '400g'], shelf: 30 }],
    ],
  },
  {
    leaf: 'sua-bot',
    d: { brands: ['Vinamilk|Vinamilk Sure Prevent', 'Abbott|Ensure', 'Nutifood', 'Anlene', 'Nestlé|Boost'], sizes: ['400g', '900g'], storage: AMBIENT, shelf: 540, pkg: 'lon', use: ['pha với nước ấm, dùng 1–2 ly mỗi ngày', 'mix with warm water, 1–2 glasses a day'] },
    items: [
      ['Sữa bột dinh dưỡng', 'Nutritional Milk Powder', 280_000, 380_000, { vary: [[['', ''], ['hương vani', 'Vanilla'], ['ít đường', 'Less Sugar']]] }],
      ['Sữa bột tách béo', 'Skimmed Milk Powder', 90_000, 140_000, { brands: ['Vinamilk', 'Anchor', 'Tươi'] }],
      ['Sữa bột canxi', 'High-calcium Milk Powder', 180_000, 260_000, { brands: ['Anlene', 'Vinamilk', 'Nutifood'] }],
      ['Sữa bột nguyên kem', 'Full Cream Milk Powder', 110_000, 160_000, { brands: ['Vinamilk', 'Anchor', 'Dutch Lady'] }],
    ],
  },
  {
    leaf: 'gao-thom',
    d: { brands: RICE, sizes: ['2kg', '5kg', '10kg'], pkg: 'túi', storage: AMBIENT, shelf: 365, diet: ['gluten-free'], may: ['vegan'], vary: ['riceCrop'], use: ['cơm dẻo, thơm, để nguội không cứng', 'cooks soft and fragrant, stays tender when cool'] },
    items: [
      ['Gạo ST25', 'ST25 Rice', 65_000, 85_000, { brands: ['Ông Cua', 'Lộc Trời', 'Vinh Hiển', 'Tươi'] }],
      ['Gạo ST24', 'ST24 Rice', 60_000, 75_000],
      ['Gạo Jasmine', 'Jasmine Rice', 40_000, 55_000],
      ['Gạo Nàng Hoa', 'Nang Hoa Rice', 42_000, 55_000],
      ['Gạo tám thơm', 'Tam Thom Rice', 50_000, 65_000],
      ['Gạo Đài Thơm 8', 'Dai Thom 8 Rice', 42_000, 55_000],
      ['Gạo Japonica', 'Japonica Rice', 60_000, 80_000],
      ['Gạo tấm', 'Broken Rice', 30_000, 40_000],
      ['Gạo Nàng Thơm Chợ Đào', 'Nang Thom Cho Dao Rice', 55_000, 70_000],
    ],
  },
  {
    leaf: 'gao-nep',
    d: { brands: RICE, sizes: ['1kg', '2kg'], pkg: 'túi', storage: AMBIENT, shelf: 365, diet: ['gluten-free'], may: ['vegan'], vary: ['riceCrop'], use: ['dùng nấu xôi, làm bánh, nấu chè', 'for sticky rice, cakes and sweet soups'] },
    items: [
      ['Gạo nếp', 'Glutinous Rice', 28_000, 38_000],
      ['Gạo nếp cái hoa vàng', 'Yellow Flower Glutinous Rice', 40_000, 55_000, { tags: ['tet'] }],
      ['Gạo nếp than', 'Black Glutinous Rice', 45_000, 60_000],
      ['Gạo nếp Thái', 'Thai Glutinous Rice', 32_000, 42_000],
    ],
  },
  {
    leaf: 'gao-lut',
    d: { brands: RICE, sizes: ['1kg', '2kg'], pkg: 'túi', storage: AMBIENT, shelf: 270, diet: ['gluten-free'], may: ['vegan'], vary: ['riceCrop'], use: ['giàu chất xơ, nên ngâm trước khi nấu', 'high in fibre, soak before cooking'] },
    items: [
      ['Gạo lứt', 'Brown Rice', 35_000, 48_000],
      ['Gạo lứt đỏ', 'Red Brown Rice', 40_000, 55_000],
      ['Gạo lứt đen', 'Black Rice', 50_000, 70_000],
      ['Gạo mầm', 'Germinated Brown Rice', 55_000, 75_000],
      ['Gạo Séng Cù', 'Seng Cu Rice', 35_000, 45_000],
    ],
  },
  {
    leaf: 'mi-goi',
    d: {
      brands: ['Acecook|Hảo Hảo', 'Acecook|Đệ Nhất', 'Omachi', 'Kokomi', 'Vifon', 'Uniben|3 Miền', 'Asia Foods|Gấu Đỏ'],
      sizes: ['75g'], packs: [5, 30], pkg: 'gói', storage: AMBIENT, shelf: 180, brandFirst: true, vary: ['noodleFlavour'],
      use: ['nấu 3 phút hoặc chế nước sôi', 'cook for 3 minutes or pour over boiling water'],
    },
    items: [
      ['Mì', 'Instant Noodles', 4_000, 9_000],
      ['Mì ly', 'Cup Noodles', 9_000, 14_000, { sizes: ['65g'], packs: [6, 24], pkg: 'ly' }],
      ['Mì tô', 'Bowl Noodles', 10_000, 15_000, { sizes: ['80g'], packs: [6, 12], pkg: 'tô' }],
      ['Mì trộn', 'Dry Instant Noodles', 6_000, 10_000, { sizes: ['85g'], vary: ['dryNoodleFlavour'] }],
      ['Mì Hàn Quốc', 'Korean Ramen', 16_000, 24_000, { brands: ['Nongshim', 'Samyang', 'Ottogi'], sizes: ['120g'], vary: ['ramenFlavour'] }],
    ],
  },
  {
    leaf: 'pho-chao-an-lien',
    d: { brands: ['Vifon', 'Acecook|Đệ Nhất', 'Cung Đình', 'Kokomi'], sizes: ['60g'], packs: [10, 30], pkg: 'gói', storage: AMBIENT, shelf: 180, brandFirst: true, use: ['chế nước sôi, chờ 3 phút', 'add boiling water and wait 3 minutes'] },
    items: [
      ['Phở ăn liền', 'Instant Pho', 7_000, 10_000, { vary: [[['bò', 'Beef'], ['gà', 'Chicken'], ['chay', 'Vegetarian', { diet: ['vegetarian'] }], ['bò tái', 'Rare Beef']]] }],
      ['Cháo ăn liền', 'Instant Rice Porridge', 5_000, 8_000, { brands: ['Vifon', 'Asia Foods|Gấu Đỏ', 'Cây Thị'], sizes: ['50g'], vary: [[['thịt bằm', 'Minced Pork'], ['gà', 'Chicken'], ['cá', 'Fish'], ['tôm cua', 'Shrimp & Crab'], ['chay', 'Vegetarian', { diet: ['vegetarian'] }]]] }],
      ['Hủ tiếu ăn liền', 'Instant Hu Tieu', 7_000, 10_000, { vary: [[['Nam Vang', 'Phnom Penh-style'], ['sườn heo', 'Pork Rib'], ['bò kho', 'Beef Stew']]] }],
      ['Bún ăn liền', 'Instant Rice Vermicelli', 7_000, 10_000, { vary: [[['bò Huế', 'Hue Beef'], ['riêu cua', 'Crab'], ['mọc', 'Pork Meatball'], ['măng vịt', 'Duck & Bamboo']]] }],
      ['Miến ăn liền', 'Instant Glass Noodles', 8_000, 11_000, { brands: ['Acecook|Phú Hương', 'Vifon'], vary: [[['sườn heo', 'Pork Rib'], ['gà', 'Chicken'], ['lươn', 'Eel']]] }],
    ],
  },
  {
    leaf: 'bun-pho-kho',
    d: { brands: ['Safoco', 'Bích Chi', 'Vifon', 'Tươi'], sizes: ['200g', '500g'], pkg: 'gói', storage: AMBIENT, shelf: 365, may: PLANT, vary: ['noodleWidth'], use: ['luộc 5–7 phút rồi xả nước lạnh', 'boil for 5–7 minutes, then rinse in cold water'] },
    items: [
      ['Bún khô', 'Dried Rice Vermicelli', 12_000, 18_000],
      ['Phở khô', 'Dried Pho Noodles', 14_000, 20_000],
      ['Hủ tiếu khô', 'Dried Hu Tieu Noodles', 14_000, 20_000],
      ['Bánh canh khô', 'Dried Tapioca Noodles', 14_000, 20_000],
      ['Bún gạo lứt', 'Brown Rice Vermicelli', 22_000, 32_000],
      ['Bánh tráng', 'Rice Paper', 12_000, 18_000, { vary: [[['', ''], ['Trảng Bàng', 'Trang Bang'], ['mè đen', 'Black Sesame'], ['siêu mỏng', 'Extra-thin']]], use: ['nhúng nước cuốn gỏi cuốn', 'dip in water to roll fresh spring rolls'] }],
    ],
  },
  {
    leaf: 'mien-mi-kho',
    d: { brands: ['Safoco', 'Bích Chi', 'Acecook|Phú Hương', 'Tươi'], sizes: ['200g', '500g'], pkg: 'gói', storage: AMBIENT, shelf: 365, use: ['dùng nấu miến gà, xào hoặc nấu lẩu', 'for chicken noodle soup, stir-fries or hot pot'] },
    items: [
      ['Miến dong', 'Arrowroot Glass Noodles', 25_000, 35_000, { may: PLANT }],
      ['Miến đậu xanh', 'Mung Bean Glass Noodles', 28_000, 38_000, { may: PLANT }],
      ['Mì trứng khô', 'Dried Egg Noodles', 18_000, 26_000, { vary: [[['', ''], ['sợi nhỏ', 'Thin'], ['sợi lớn', 'Thick']]] }],
      ['Mì chũ', 'Chu Noodles', 30_000, 42_000, { may: ['vegan'] }],
      ['Mì rau củ', 'Vegetable Noodles', 22_000, 30_000, { may: ['vegan'] }],
    ],
  },
  {
    leaf: 'mi-y-nui',
    d: { brands: ['Barilla', 'Divella', 'Safoco', 'Tươi'], sizes: ['400g', '500g'], pkg: 'gói', storage: AMBIENT, shelf: 540, may: ['vegan'], vary: ['pastaType'], use: ['luộc 8–10 phút, dùng với sốt cà chua hoặc kem', 'boil for 8–10 minutes and toss with tomato or cream sauce'] },
    items: [
      ['Mì Ý spaghetti', 'Spaghetti', 30_000, 45_000],
      ['Mì Ý fettuccine', 'Fettuccine', 35_000, 50_000],
      ['Nui ống', 'Penne', 28_000, 42_000],
      ['Nui xoắn', 'Fusilli', 28_000, 42_000],
      ['Nui sò', 'Shell Pasta', 25_000, 38_000],
      ['Mì lasagne', 'Lasagne Sheets', 45_000, 65_000, { vary: [] }],
      ['Nui chữ cái', 'Alphabet Pasta', 18_000, 26_000, { brands: ['Safoco', 'Tươi'], sizes: ['200g', '400g'] }],
    ],
  },
  {
    leaf: 'bot-mi',
    d: { brands: ['Meizan', "Bakers' Choice", 'Tươi'], sizes: ['500g', '1kg'], pkg: 'túi', storage: AMBIENT, shelf: 365, may: ['vegan'], use: ['dùng làm bánh mì, bánh bao, bánh ngọt', 'for bread, steamed buns and cakes'] },
    items: [
      ['Bột mì đa dụng', 'All-purpose Flour', 14_000, 20_000],
      ['Bột mì số 8', 'Cake Flour No. 8', 16_000, 22_000],
      ['Bột mì số 11', 'Bread Flour No. 11', 17_000, 24_000],
      ['Bột mì số 13', 'High-protein Flour No. 13', 18_000, 25_000],
      ['Bột mì nguyên cám', 'Wholemeal Flour', 25_000, 35_000],
    ],
  },
  {
    leaf: 'bot-nang-bot-gao',
    d: { brands: ['Tài Ký', 'Vĩnh Thuận', 'Tươi'], sizes: ['400g', '1kg'], pkg: 'gói', storage: AMBIENT, shelf: 540, may: ['vegan', 'gluten-free'], use: ['dùng làm bánh, tạo độ sệt cho món ăn', 'for cakes and thickening sauces'] },
    items: [
      ['Bột năng', 'Tapioca Starch', 14_000, 20_000],
      ['Bột gạo', 'Rice Flour', 14_000, 20_000],
      ['Bột nếp', 'Glutinous Rice Flour', 16_000, 22_000],
      ['Bột bắp', 'Cornstarch', 15_000, 22_000],
      ['Bột sắn dây', 'Kudzu Starch', 60_000, 90_000, { sizes: ['200g', '500g'] }],
      ['Bột khoai tây', 'Potato Starch', 22_000, 30_000],
    ],
  },
  {
    leaf: 'bot-chien',
    d: { brands: ['Tài Ký', 'Meizan', 'Ajinomoto|Aji-Quick', 'Vĩnh Thuận'], sizes: ['150g', '400g'], pkg: 'gói', storage: AMBIENT, shelf: 365, use: ['pha với nước, áo đều rồi chiên', 'mix with water, coat and fry'] },
    items: [
      ['Bột chiên giòn', 'Tempura Batter Mix', 8_000, 12_000, { vary: [[['', ''], ['cay', 'Spicy'], ['vị gà', 'Chicken']]] }],
      ['Bột chiên xù', 'Panko Breadcrumbs', 12_000, 18_000],
      ['Bột bánh xèo', 'Banh Xeo Flour Mix', 10_000, 15_000, { may: ['gluten-free'] }],
      ['Bột bánh bông lan', 'Sponge Cake Mix', 25_000, 35_000],
      ['Bột rau câu', 'Agar Jelly Powder', 10_000, 15_000, { sizes: ['10g', '25g'], may: PLANT }],
      ['Bột nở', 'Baking Powder', 8_000, 12_000, { sizes: ['50g', '100g'], may: PLANT }],
    ],
  },
  {
    leaf: 'dau-hat-kho',
    d: { brands: DRY, sizes: ['500g', '1kg'], pkg: 'túi', storage: AMBIENT, shelf: 365, may: PLANT, vary: [[['', ''], ['hữu cơ', 'Organic', { diet: ['organic'], price: 1.6 }], ['loại 1', 'Grade 1']]], use: ['dùng nấu chè, nấu xôi, hầm canh', 'for sweet soups, sticky rice and stews'] },
    items: [
      ['Đậu xanh', 'Mung Beans', 25_000, 35_000],
      ['Đậu xanh cà vỏ', 'Split Mung Beans', 28_000, 38_000],
      ['Đậu đen', 'Black Beans', 28_000, 38_000],
      ['Đậu đỏ', 'Red Beans', 30_000, 42_000],
      ['Đậu nành', 'Soybeans', 22_000, 30_000],
      ['Đậu phộng', 'Peanuts', 35_000, 48_000, { brands: ['Tươi', 'Nông Lâm Food', 'Tân Tân'] }],
      ['Mè trắng', 'White Sesame', 35_000, 50_000, { sizes: ['200g', '500g'] }],
      ['Hạt sen', 'Lotus Seeds', 70_000, 100_000, { sizes: ['200g', '500g'] }],
      ['Đậu gà', 'Chickpeas', 40_000, 55_000],
    ],
  },
  {
    leaf: 'ngu-coc-an-sang',
    d: { brands: ["Kellogg's", 'Nestlé', 'Calbee'], sizes: ['300g', '500g'], pkg: 'hộp', storage: AMBIENT, shelf: 365, use: ['ăn sáng cùng sữa tươi hoặc sữa chua', 'for breakfast with milk or yogurt'] },
    items: [
      ['Ngũ cốc ăn sáng', 'Breakfast Cereal', 65_000, 95_000, { vary: [[['sô cô la', 'Chocolate'], ['mật ong', 'Honey'], ['trái cây', 'Fruit'], ['nguyên cám', 'Whole Grain'], ['bắp', 'Corn']]] }],
      ['Ngũ cốc granola', 'Granola', 90_000, 140_000, { brands: ['Calbee', 'Tươi', 'Nông Lâm Food'], vary: [[['', ''], ['trái cây sấy', 'Dried Fruit'], ['hạt dinh dưỡng', 'Nuts'], ['ít đường', 'Low Sugar']]] }],
      ['Ngũ cốc dinh dưỡng', 'Nutritional Cereal Drink Mix', 50_000, 75_000, { brands: ['Vinacafé', 'Damtuh', 'Xuân An', 'Nutifood'], sizes: ['400g', '500g'], pkg: 'bịch', vary: [[['', ''], ['ít đường', 'Less Sugar'], ['óc chó hạnh nhân', 'Walnut & Almond'], ['canxi', 'Calcium']]] }],
    ],
  },
  {
    leaf: 'yen-mach',
    d: { brands: ['Quaker', 'Xuân An', 'Tươi', 'Nông Lâm Food'], sizes: ['400g', '1kg'], pkg: 'túi', storage: AMBIENT, shelf: 365, may: PLANT, use: ['dùng nấu cháo, làm sinh tố, rắc lên sữa chua', 'cook as porridge, blend into smoothies or sprinkle on yogurt'] },
    items: [
      ['Yến mạch cán dẹt', 'Rolled Oats', 45_000, 65_000, { may: ['vegan'], vary: [[['', ''], ['hữu cơ', 'Organic', { diet: ['organic'], price: 1.5 }]]] }],
      ['Yến mạch ăn liền', 'Instant Oats', 50_000, 70_000, { may: ['vegan'] }],
      ['Hạt chia', 'Chia Seeds', 40_000, 60_000, { sizes: ['200g', '500g'] }],
      ['Hạt diêm mạch', 'Quinoa', 60_000, 90_000, { sizes: ['250g', '500g'] }],
      ['Hạt lanh', 'Flaxseeds', 35_000, 50_000, { sizes: ['200g', '500g'] }],
    ],
  },
  {
    leaf: 'nam-kho',
    d: { brands: DRY, sizes: ['100g', '200g'], pkg: 'túi', storage: AMBIENT, shelf: 365, may: PLANT, use: ['ngâm nở trước khi nấu', 'soak before cooking'] },
    items: [
      ['Nấm mèo', 'Wood Ear Mushrooms', 18_000, 26_000],
      ['Nấm hương khô', 'Dried Shiitake', 45_000, 70_000],
      ['Nấm tuyết', 'Snow Fungus', 30_000, 45_000],
      ['Nấm linh chi', 'Lingzhi Mushroom', 120_000, 180_000],
      ['Nấm đông cô', 'Dried Black Mushrooms', 60_000, 85_000],
    ],
  },
  {
    leaf: 'hai-san-kho',
    d: { brands: ['Tươi', 'Sài Gòn Food'], sizes: ['100g', '200g'], pkg: 'túi', storage: AMBIENT, shelf: 180, use: ['dùng nấu canh, rim, nướng', 'for soups, caramelising or grilling'] },
    items: [
      ['Tôm khô', 'Dried Shrimp', 60_000, 90_000],
      ['Mực khô', 'Dried Squid', 120_000, 180_000],
      ['Cá cơm khô', 'Dried Anchovies', 35_000, 50_000],
      ['Khô cá lóc', 'Dried Snakehead Fish', 60_000, 85_000],
      ['Khô cá dứa', 'Dried Catfish', 70_000, 95_000],
    ],
  },
  {
    leaf: 'rong-bien-mang-kho',
    d: { brands: ['Tươi', 'Nông Lâm Food'], sizes: ['50g', '100g'], pkg: 'gói', storage: AMBIENT, shelf: 365, may: PLANT },
    items: [
      ['Rong biển khô', 'Dried Seaweed', 25_000, 38_000, { use: ['dùng nấu canh rong biển', 'for seaweed soup'] }],
      ['Rong biển ăn liền', 'Seaweed Snack', 6_000, 9_000, { brands: ['Tao Kae Noi', 'Bibigo'], sizes: ['4g', '32g'], vary: [[['', ''], ['vị cay', 'Spicy'], ['vị truyền thống', 'Original']]] }],
      ['Măng khô', 'Dried Bamboo Shoots', 40_000, 60_000, { sizes: ['200g', '500g'], tags: ['tet'], use: ['ngâm mềm, dùng nấu măng hầm giò heo', 'soak, then braise with pork hock'] }],
      ['Bánh phồng tôm', 'Prawn Crackers', 20_000, 30_000, { brands: ['Sa Giang', 'Tươi'], sizes: ['100g', '200g'], may: [] }],
      ['Phổ tai', 'Dried Kelp', 20_000, 30_000],
    ],
  },
];
