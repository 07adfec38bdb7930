/**
 * Vocabulary of the beverages, beer & wine and snacks & confectionery departments. Prices are VND
 * for the first size listed.
 */
import type { LeafSpec } from './types';

const AMBIENT = 'ambient' as const;
const PLANT = ['vegan', 'gluten-free'] as const;
const NUTS = ['Tân Tân', 'Lafooco', 'Nông Lâm Food', 'Camel', 'Tươi'];

/** Leaves of the beverages, beer & wine and snacks departments. */
// prettier-ignore
export const DRINKS_SNACKS_VOCAB: LeafSpec[] = [
  {
    leaf: 'nuoc-ngot',
    d: { brands: ['Coca-Cola', 'Pepsi', '7Up', 'Sprite', 'Schweppes'], sizes: ['320ml@lon', '390ml@chai', '1.5l@chai'], packs: [6, 24], pkg: 'lon', storage: AMBIENT, shelf: 270, brandFirst: true, use: ['ngon hơn khi uống lạnh', 'best served ice-cold'] },
    items: [
      ['Nước ngọt', 'Soft Drink', 9_000, 11_000, { vary: [[['', ''], ['không đường', 'Zero Sugar', { diet: ['sugar-free'] }], ['ít đường', 'Light']]] }],
      ['Nước ngọt hương trái cây', 'Fruit Soda', 9_000, 11_000, { brands: ['Fanta', 'Mirinda'], vary: [[['cam', 'Orange'], ['xá xị', 'Sarsaparilla'], ['soda kem', 'Cream Soda'], ['nho', 'Grape'], ['việt quất', 'Blueberry']]] }],
      ['Nước xá xị', 'Sarsaparilla Soda', 8_000, 10_000, { brands: ['Chương Dương'], sizes: ['330ml@lon'] }],
      ['Nước soda', 'Soda Water', 8_000, 10_000, { brands: ['Schweppes', 'Tươi'], sizes: ['330ml@lon', '500ml@chai'], vary: [[['', ''], ['chanh', 'Lemon'], ['tonic', 'Tonic']]] }],
    ],
  },
  {
    leaf: 'nuoc-suoi',
    d: { brands: ['Lavie', 'Aquafina', 'Dasani', 'Vĩnh Hảo', 'TH true WATER'], sizes: ['350ml', '500ml', '1.5l', '5l@bình'], packs: [6, 24], pkg: 'chai', storage: AMBIENT, shelf: 540 },
    items: [
      ['Nước tinh khiết', 'Purified Water', 4_000, 5_500, { vary: [[['', ''], ['kiềm', 'Alkaline', { price: 1.5 }]]] }],
      ['Nước khoáng', 'Mineral Water', 4_500, 6_000, { brands: ['Lavie', 'Vĩnh Hảo', 'Evian'], vary: [[['', ''], ['thiên nhiên', 'Natural']]] }],
      ['Nước khoáng có ga', 'Sparkling Mineral Water', 9_000, 14_000, { brands: ['Vĩnh Hảo', 'Perrier'], sizes: ['330ml', '750ml'], vary: [[['', ''], ['hương chanh', 'Lemon']]] }],
    ],
  },
  {
    leaf: 'nuoc-tang-luc',
    d: { brands: ['Red Bull', 'Sting', 'Number 1', 'Monster', 'Warrior'], sizes: ['250ml@lon', '330ml@chai'], packs: [6, 24], pkg: 'lon', storage: AMBIENT, shelf: 365, brandFirst: true },
    items: [
      ['Nước tăng lực', 'Energy Drink', 10_000, 14_000, { vary: [[['', ''], ['hương dâu', 'Strawberry'], ['nhân sâm', 'Ginseng'], ['không đường', 'Sugar-free', { diet: ['sugar-free'] }], ['vàng', 'Gold']]] }],
      ['Nước uống vận động', 'Vitamin Energy Drink', 9_000, 12_000, { brands: ['Number 1', 'Sting', 'Warrior'], vary: [[['', ''], ['chanh muối', 'Salted Lemon'], ['nho', 'Grape']]] }],
    ],
  },
  {
    leaf: 'tra-dong-chai',
    d: { brands: ['Tân Hiệp Phát|Không Độ', 'C2', 'Lipton', 'Fuze Tea', 'Tea Plus'], sizes: ['350ml', '455ml', '1l'], packs: [6, 24], pkg: 'chai', storage: AMBIENT, shelf: 270, brandFirst: true },
    items: [
      ['Trà xanh', 'Green Tea', 8_000, 10_000, { vary: ['teaFlavour'] }],
      ['Trà ô long', 'Oolong Tea', 9_000, 11_000, { vary: [[['', ''], ['ít đường', 'Less Sugar'], ['không đường', 'Unsweetened', { diet: ['sugar-free'] }]]] }],
      ['Trà đen', 'Black Tea', 8_000, 10_000, { vary: ['teaFlavour'] }],
      ['Trà thảo mộc', 'Herbal Tea', 9_000, 11_000, { brands: ['Dr Thanh', 'Wonderfarm'], vary: [[['', ''], ['ít đường', 'Less Sugar'], ['không đường', 'Unsweetened', { diet: ['sugar-free'] }]]] }],
      ['Trà bí đao', 'Winter Melon Tea', 7_000, 9_000, { brands: ['Wonderfarm', 'Tươi'], sizes: ['310ml@lon', '500ml'] }],
    ],
  },
  {
    leaf: 'nuoc-trai-cay',
    d: { brands: ['Vfresh', 'TH true JUICE', 'Twister', 'Teppy', 'Malee', 'Tipco'], sizes: ['180ml@hộp', '1l@hộp'], packs: [4, 24], pkg: 'hộp', storage: AMBIENT, shelf: 270, may: PLANT, vary: ['juiceType'] },
    items: [
      ['Nước cam', 'Orange Juice', 8_000, 11_000],
      ['Nước táo', 'Apple Juice', 8_000, 11_000],
      ['Nước ép nho', 'Grape Juice', 9_000, 12_000],
      ['Nước đào', 'Peach Nectar', 8_000, 11_000],
      ['Nước ổi', 'Guava Juice', 8_000, 11_000],
      ['Nước ép thơm', 'Pineapple Juice', 8_000, 11_000],
      ['Nước chanh dây', 'Passion Fruit Juice', 8_000, 11_000],
      ['Nước ép rau củ', 'Vegetable Juice', 10_000, 14_000],
      ['Nước cam tươi', 'Fresh-squeezed Orange Juice', 25_000, 35_000, { brands: ['Tươi', 'TH true JUICE'], sizes: ['330ml@chai', '1l@chai'], storage: 'chilled', shelf: 3, packs: [], vary: [] }],
    ],
  },
  {
    leaf: 'nuoc-bu-khoang',
    d: { brands: ['Revive', 'Pocari Sweat', 'Aquarius'], sizes: ['350ml', '500ml'], packs: [6, 24], pkg: 'chai', storage: AMBIENT, shelf: 365, brandFirst: true },
    items: [
      ['Nước bù khoáng', 'Sports Drink', 9_000, 12_000, { vary: [[['', ''], ['chanh muối', 'Salted Lemon'], ['ít đường', 'Less Sugar']]] }],
      ['Nước dừa', 'Coconut Water', 12_000, 18_000, { brands: ['Cocoxim', 'Tươi'], sizes: ['330ml@hộp', '1l@hộp'], may: PLANT, vary: [[['', ''], ['xiêm xanh', 'Green Siamese'], ['hữu cơ', 'Organic', { diet: ['organic'], price: 1.4 }]]] }],
      ['Nước nha đam', 'Aloe Vera Drink', 10_000, 14_000, { brands: ['Wonderfarm', 'Tươi'], vary: [[['', ''], ['ít đường', 'Less Sugar']]] }],
      ['Nước sâm', 'Herbal Cooling Drink', 8_000, 11_000, { brands: ['Wonderfarm', 'Tươi'] }],
    ],
  },
  {
    leaf: 'ca-phe',
    d: { brands: ['Trung Nguyên', 'Highlands Coffee', 'Phúc Long', 'Mê Trang', 'Vinacafé', 'Tươi'], sizes: ['250g', '500g'], pkg: 'gói', storage: AMBIENT, shelf: 365, vary: ['coffeeBean'], use: ['pha phin hoặc máy, ngon với sữa đặc', 'brew with a phin or machine, great with condensed milk'] },
    items: [
      ['Cà phê rang xay', 'Roast & Ground Coffee', 55_000, 90_000],
      ['Cà phê hạt', 'Coffee Beans', 60_000, 100_000],
      ['Cà phê phin giấy', 'Drip Bag Coffee', 50_000, 75_000, { sizes: ['10pc', '20pc'], count: ['gói', 'bags'], pkg: 'hộp' }],
      ['Cà phê muối', 'Salted Coffee', 60_000, 85_000, { brands: ['Tươi', 'Phúc Long'], vary: [] }],
    ],
  },
  {
    leaf: 'ca-phe-hoa-tan',
    d: { brands: ['G7', 'Nescafé', 'Vinacafé', 'Trung Nguyên', 'Highlands Coffee'], sizes: ['18pc@hộp', '50pc@bịch'], count: ['gói', 'sachets'], pkg: 'hộp', storage: AMBIENT, shelf: 540, use: ['pha với nước nóng hoặc thêm đá', 'mix with hot water or pour over ice'] },
    items: [
      ['Cà phê hòa tan', 'Instant Coffee', 50_000, 65_000, { vary: [[['3 in 1', '3-in-1'], ['2 in 1', '2-in-1'], ['đen', 'Black'], ['sữa đá', 'Iced Milk'], ['không đường', 'Sugar-free', { diet: ['sugar-free'] }]]] }],
      ['Cà phê sữa đóng lon', 'Canned Milk Coffee', 12_000, 16_000, { brands: ['Highlands Coffee', 'Nescafé', 'Birdy', 'Vinacafé'], sizes: ['235ml@lon'], packs: [6, 24], pkg: 'lon', vary: [[['', ''], ['ít đường', 'Less Sugar'], ['đen', 'Black']]] }],
      ['Cà phê hòa tan nguyên chất', 'Pure Instant Coffee', 90_000, 140_000, { brands: ['Nescafé', 'G7', 'Trung Nguyên'], sizes: ['100g', '200g'], pkg: 'hũ', diet: ['sugar-free'] }],
    ],
  },
  {
    leaf: 'tra',
    d: { brands: ['Lipton', 'Cozy', 'Phúc Long', 'Dilmah'], sizes: ['25pc', '100pc'], count: ['túi lọc', 'tea bags'], pkg: 'hộp', storage: AMBIENT, shelf: 720, may: PLANT },
    items: [
      ['Trà túi lọc', 'Tea Bags', 30_000, 45_000, { vary: [[['đen', 'Black'], ['xanh', 'Green'], ['lài', 'Jasmine'], ['đào', 'Peach'], ['gừng', 'Ginger'], ['atiso', 'Artichoke'], ['hoa cúc', 'Chamomile']]] }],
      ['Trà Thái Nguyên', 'Thai Nguyen Green Tea', 50_000, 80_000, { brands: ['Tươi', 'Phúc Long'], sizes: ['100g', '200g'], pkg: 'gói' }],
      ['Trà lá ô long', 'Loose Oolong Tea', 80_000, 120_000, { brands: ['Phúc Long', 'Tươi'], sizes: ['100g', '200g'], pkg: 'gói' }],
      ['Trà sen', 'Lotus Tea', 90_000, 140_000, { brands: ['Tươi', 'Phúc Long'], sizes: ['100g', '200g'], pkg: 'hộp', tags: ['tet'] }],
      ['Trà sữa hòa tan', 'Instant Milk Tea', 45_000, 65_000, { brands: ['Cozy', 'Lipton', 'Phúc Long'], sizes: ['10pc', '20pc'], count: ['gói', 'sachets'], may: [] }],
    ],
  },
  {
    leaf: 'ca-cao-lua-mach',
    d: { brands: ['Milo', 'Ovaltine'], sizes: ['180ml'], packs: [4, 48], pkg: 'hộp', storage: AMBIENT, shelf: 270 },
    items: [
      ['Thức uống lúa mạch', 'Malt Chocolate Drink', 7_000, 9_000, { vary: [[['', ''], ['ít đường', 'Less Sugar']]] }],
      ['Bột lúa mạch', 'Malt Drink Powder', 60_000, 85_000, { sizes: ['285g', '600g'], packs: [], pkg: 'bịch' }],
      ['Bột ca cao', 'Cocoa Powder', 60_000, 90_000, { brands: ['Van Houten', 'Tươi'], sizes: ['200g', '400g'], packs: [], pkg: 'gói', may: PLANT }],
    ],
  },
  {
    leaf: 'bia',
    d: {
      brands: ['Sabeco|Sài Gòn', 'Sabeco|333', 'Heineken', 'Tiger', 'Larue', 'Habeco|Hà Nội', 'Huda', 'Budweiser', 'Sapporo', 'Carlsberg'],
      sizes: ['330ml@lon', '450ml@chai'], packs: [6, 24], pkg: 'lon', storage: AMBIENT, shelf: 365, brandFirst: true, vary: ['beerLine'],
    },
    items: [
      ['Bia', 'Beer', 11_000, 20_000],
      ['Bia lúa mì', 'Wheat Beer', 25_000, 35_000, { brands: ['Hoegaarden', 'Pasteur Street'], vary: [[['', ''], ['Rosée', 'Rosée']]] }],
      ['Bia đen', 'Stout', 30_000, 40_000, { brands: ['Guinness'], vary: [] }],
    ],
  },
  {
    leaf: 'bia-thu-cong',
    d: { brands: ['Pasteur Street', 'Heart of Darkness', 'East West', 'Winking Seal'], sizes: ['330ml@lon'], packs: [4, 24], pkg: 'lon', storage: AMBIENT, shelf: 180, brandFirst: true },
    items: [
      ['Bia thủ công', 'Craft Beer', 55_000, 85_000, { vary: [[['IPA', 'IPA'], ['pale ale', 'Pale Ale'], ['stout', 'Stout'], ['pilsner', 'Pilsner'], ['chanh dây', 'Passion Fruit'], ['sour', 'Sour']]] }],
    ],
  },
  {
    leaf: 'ruou-vang',
    d: { brands: ['Ladofoods|Vang Đà Lạt', 'Concha y Toro', "Jacob's Creek", 'Yellow Tail', 'Santa Rita', 'Penfolds'], sizes: ['750ml'], packs: [6], pkg: 'chai', storage: AMBIENT, shelf: 1825, tags: ['tet'] },
    items: [
      ['Rượu vang đỏ', 'Red Wine', 150_000, 450_000, { vary: [[['Cabernet Sauvignon', 'Cabernet Sauvignon'], ['Merlot', 'Merlot'], ['Shiraz', 'Shiraz'], ['Pinot Noir', 'Pinot Noir'], ['Malbec', 'Malbec']]] }],
      ['Rượu vang trắng', 'White Wine', 150_000, 400_000, { vary: [[['Chardonnay', 'Chardonnay'], ['Sauvignon Blanc', 'Sauvignon Blanc'], ['Riesling', 'Riesling'], ['Moscato', 'Moscato']]] }],
      ['Rượu vang hồng', 'Rosé Wine', 160_000, 380_000],
      ['Rượu vang nổ', 'Sparkling Wine', 250_000, 550_000, { vary: [[['', ''], ['brut', 'Brut'], ['ngọt', 'Sweet']]] }],
    ],
  },
  {
    leaf: 'ruou-manh',
    d: { brands: ['Halico|Vodka Hà Nội', 'Absolut', 'Smirnoff'], sizes: ['300ml', '700ml'], pkg: 'chai', storage: AMBIENT, shelf: 3650, tags: ['tet'] },
    items: [
      ['Rượu vodka', 'Vodka', 80_000, 350_000, { vary: [[['', ''], ['nhãn xanh', 'Blue Label'], ['chanh', 'Citron']]] }],
      ['Rượu whisky', 'Whisky', 450_000, 900_000, { brands: ['Johnnie Walker', 'Chivas Regal', "Jack Daniel's"], sizes: ['700ml', '1l'], vary: [[['', ''], ['12 năm', '12 Year Old', { price: 1.4 }], ['Red Label', 'Red Label'], ['Black Label', 'Black Label', { price: 1.6 }]]] }],
      ['Rượu nếp', 'Rice Wine', 60_000, 100_000, { brands: ['Halico|Nếp Mới', 'Tươi'], sizes: ['300ml', '500ml'] }],
      ['Rượu soju', 'Soju', 45_000, 60_000, { brands: ['Jinro', 'Chum Churum'], sizes: ['360ml'], packs: [6], vary: [[['', ''], ['vị đào', 'Peach'], ['vị nho', 'Grape'], ['vị việt quất', 'Blueberry'], ['vị dâu', 'Strawberry']]] }],
    ],
  },
  {
    leaf: 'ruou-trai-cay',
    d: { brands: ['Somersby', 'Strongbow'], sizes: ['330ml@lon'], packs: [6, 24], pkg: 'lon', storage: AMBIENT, shelf: 365, brandFirst: true },
    items: [
      ['Rượu táo', 'Cider', 20_000, 26_000, { vary: [[['', ''], ['dâu đen', 'Blackberry'], ['mật ong', 'Honey'], ['hoa cơm cháy', 'Elderflower']]] }],
      ['Rượu mơ', 'Plum Wine', 350_000, 500_000, { brands: ['Choya'], sizes: ['720ml@chai'], packs: [], pkg: 'chai', brandFirst: false }],
      ['Rượu sim', 'Rose Myrtle Wine', 120_000, 180_000, { brands: ['Tươi'], sizes: ['500ml@chai'], packs: [], pkg: 'chai', brandFirst: false, tags: ['tet'] }],
    ],
  },
  {
    leaf: 'banh-quy',
    d: { brands: ['Kinh Đô|Cosy', 'Oreo', 'Richy', 'Bibica', 'Hải Hà', 'Orion|Gouté'], sizes: ['130g', '300g'], packs: [3], pkg: 'gói', storage: AMBIENT, shelf: 365 },
    items: [
      ['Bánh quy', 'Biscuits', 18_000, 28_000, { vary: ['biscuitFlavour'] }],
      ['Bánh quy bơ', 'Butter Cookies', 80_000, 140_000, { brands: ['Danisa', 'Kinh Đô', 'Richy', 'Tươi'], sizes: ['454g@hộp', '681g@hộp'], pkg: 'hộp', tags: ['tet'], packs: [] }],
      ['Bánh quy giòn', 'Crackers', 15_000, 24_000, { brands: ['Kinh Đô|AFC', 'Ritz', 'Richy'], vary: [[['', ''], ['rau cải', 'Vegetable'], ['lúa mì', 'Wheat'], ['phô mai', 'Cheese'], ['tảo biển', 'Seaweed']]] }],
      ['Bánh quy kem', 'Cream Sandwich Cookies', 15_000, 24_000, { brands: ['Oreo', 'Kinh Đô|Cosy', 'Richy'], vary: [[['vani', 'Vanilla'], ['dâu', 'Strawberry'], ['sô cô la', 'Chocolate'], ['chanh', 'Lemon']]] }],
    ],
  },
  {
    leaf: 'banh-bong-lan',
    d: { brands: ['Kinh Đô|Solite', 'Bibica|Hura', 'Orion|Custas', 'Richy'], sizes: ['6pc', '12pc'], count: ['cái', 'pcs'], pkg: 'hộp', storage: AMBIENT, shelf: 120 },
    items: [
      ['Bánh bông lan', 'Sponge Cake', 25_000, 40_000, { vary: ['cakeFlavour'] }],
      ['Bánh chocopie', 'Chocolate Marshmallow Pie', 30_000, 50_000, { brands: ['Orion|Choco-Pie', 'Lotte'], vary: [[['', ''], ['vị dưa hấu', 'Watermelon'], ['vị matcha', 'Matcha'], ['vị đậu đỏ', 'Red Bean']]] }],
      ['Bánh bông lan cuộn', 'Swiss Roll', 20_000, 32_000, { sizes: ['180g', '360g'], vary: ['cakeFlavour'] }],
    ],
  },
  {
    leaf: 'banh-gao-banh-xop',
    d: { brands: ['Orion|An', 'Richy', 'One One', 'Ichi'], sizes: ['100g', '150g'], packs: [3], pkg: 'gói', storage: AMBIENT, shelf: 270 },
    items: [
      ['Bánh gạo', 'Rice Crackers', 18_000, 28_000, { may: ['nut-free'], vary: [[['', ''], ['vị tảo biển', 'Seaweed'], ['vị ngọt', 'Sweet'], ['vị phô mai ngô', 'Cheese & Corn'], ['vị mật ong', 'Honey'], ['vị tôm', 'Prawn']]] }],
      ['Bánh xốp', 'Wafers', 15_000, 24_000, { brands: ['Kinh Đô', 'Richy', 'Bibica', 'Nabati'], vary: [[['phô mai', 'Cheese'], ['sô cô la', 'Chocolate'], ['lá dứa', 'Pandan'], ['dâu', 'Strawberry'], ['sữa', 'Milk']]] }],
      ['Bánh tráng nướng', 'Grilled Rice Paper Snack', 15_000, 22_000, { brands: ['Tươi', 'Ichi'], vary: [[['', ''], ['mè', 'Sesame'], ['dừa', 'Coconut']]], may: PLANT }],
    ],
  },
  {
    leaf: 'keo',
    d: { brands: ['Alpenliebe', 'Mentos', 'Hải Hà', 'Bibica', 'Chupa Chups'], sizes: ['100g', '300g'], pkg: 'gói', storage: AMBIENT, shelf: 540 },
    items: [
      ['Kẹo', 'Candy', 15_000, 25_000, { vary: ['candyFlavour'] }],
      ['Kẹo dẻo', 'Gummies', 18_000, 30_000, { may: ['nut-free'], brands: ['Haribo', 'Chupa Chups', 'Bibica', 'Orion'], vary: [[['trái cây', 'Fruit'], ['gấu', 'Bears'], ['chua', 'Sour'], ['cola', 'Cola']]] }],
      ['Kẹo mút', 'Lollipops', 20_000, 35_000, { brands: ['Chupa Chups', 'Alpenliebe'], sizes: ['10pc', '50pc'], count: ['cây', 'pcs'], vary: ['candyFlavour'] }],
      ['Kẹo dừa Bến Tre', 'Ben Tre Coconut Candy', 25_000, 40_000, { brands: ['Thanh Long', 'Tươi'], sizes: ['200g', '400g'], tags: ['tet'], vary: [[['', ''], ['lá dứa', 'Pandan'], ['sầu riêng', 'Durian'], ['đậu phộng', 'Peanut']]] }],
      ['Kẹo lạc', 'Peanut Brittle', 25_000, 38_000, { brands: ['Hải Hà', 'Tươi'], sizes: ['200g', '400g'], tags: ['tet'] }],
      ['Thạch rau câu', 'Jelly Cups', 25_000, 40_000, { may: ['nut-free', 'vegan'], brands: ['Tươi', 'Bibica'], sizes: ['500g', '1kg'], vary: [[['', ''], ['trái cây', 'Fruit'], ['dừa', 'Coconut']]] }],
    ],
  },
  {
    leaf: 'socola',
    d: { brands: ['Marou', 'KitKat', 'Cadbury', 'Toblerone', 'Meiji'], sizes: ['35g', '100g'], pkg: 'thanh', storage: AMBIENT, shelf: 365, may: ['vegetarian'] },
    items: [
      ['Sô cô la thanh', 'Chocolate Bar', 25_000, 45_000, { vary: [[['sữa', 'Milk'], ['đen', 'Dark'], ['đen 70%', '70% Dark', { price: 1.3 }], ['hạnh nhân', 'Almond'], ['trắng', 'White']]] }],
      ['Bánh xốp phủ sô cô la', 'Chocolate Wafer Bar', 12_000, 18_000, { brands: ['KitKat', 'Cadbury'], sizes: ['17g', '35g'], packs: [4, 24], vary: [[['', ''], ['trà xanh', 'Matcha'], ['dâu', 'Strawberry']]] }],
      ['Kẹo sô cô la', 'Chocolate Candies', 25_000, 40_000, { brands: ["M&M's", 'Meiji'], sizes: ['40g', '100g'], pkg: 'gói', vary: [[['', ''], ['đậu phộng', 'Peanut']]] }],
      ['Sô cô la hộp quà', 'Chocolate Gift Box', 150_000, 280_000, { brands: ['Marou', 'Toblerone', 'Meiji'], sizes: ['200g', '400g'], pkg: 'hộp', tags: ['tet'] }],
    ],
  },
  {
    leaf: 'keo-cao-su',
    d: { brands: ['Cool Air', 'Doublemint', 'Lotte', 'Mentos'], sizes: ['10pc@vỉ', '40pc@hũ'], count: ['viên', 'pieces'], pkg: 'vỉ', storage: AMBIENT, shelf: 540 },
    items: [
      ['Kẹo cao su', 'Chewing Gum', 8_000, 12_000, { vary: [[['bạc hà', 'Mint'], ['bạc hà mạnh', 'Strong Mint'], ['dâu', 'Strawberry'], ['không đường', 'Sugar-free', { diet: ['sugar-free'] }], ['chanh', 'Lime']]] }],
      ['Kẹo ngậm bạc hà', 'Mint Lozenges', 12_000, 18_000, { brands: ['Halls', 'Mentos', 'Cool Air'], vary: [[['', ''], ['không đường', 'Sugar-free', { diet: ['sugar-free'] }], ['mật ong chanh', 'Honey Lemon']]] }],
    ],
  },
  {
    leaf: 'snack',
    d: { brands: ["Lay's", 'Poca', 'Oishi', 'Swing'], sizes: ['32g', '95g'], packs: [5], pkg: 'gói', storage: AMBIENT, shelf: 270, brandFirst: false, vary: ['chipFlavour'] },
    items: [
      ['Snack khoai tây', 'Potato Chips', 10_000, 14_000],
      ['Snack khoai tây ống', 'Stacked Potato Crisps', 35_000, 55_000, { brands: ['Pringles'], sizes: ['107g', '147g'], pkg: 'hộp' }],
      ['Snack bắp', 'Corn Snack', 6_000, 9_000, { brands: ['Oishi', 'Poca'] }],
      ['Snack tôm', 'Prawn Snack', 6_000, 9_000, { brands: ['Oishi', 'Poca'], vary: [[['', ''], ['cay', 'Spicy']]] }],
      ['Snack da cá', 'Fish Skin Snack', 25_000, 38_000, { brands: ['Tươi', 'Oishi'], vary: [[['trứng muối', 'Salted Egg'], ['cay', 'Spicy'], ['tự nhiên', 'Original']]] }],
      ['Đậu Hà Lan sấy', 'Roasted Green Peas', 10_000, 15_000, { brands: ['Oishi', 'Tân Tân'], may: PLANT, vary: [[['', ''], ['wasabi', 'Wasabi'], ['muối', 'Salted']]] }],
    ],
  },
  {
    leaf: 'hat-dinh-duong',
    d: { brands: NUTS, sizes: ['150g', '500g'], pkg: 'hũ', storage: AMBIENT, shelf: 270, may: PLANT, vary: ['nutRoast'] },
    items: [
      ['Hạt điều', 'Cashews', 55_000, 80_000, { tags: ['tet'] }],
      ['Hạnh nhân', 'Almonds', 55_000, 80_000],
      ['Hạt macca', 'Macadamia Nuts', 75_000, 110_000, { tags: ['tet'] }],
      ['Hạt óc chó', 'Walnuts', 65_000, 95_000],
      ['Đậu phộng da cá', 'Coated Peanuts', 15_000, 22_000, { brands: ['Tân Tân', 'Tươi'], may: [], vary: [[['', ''], ['nước cốt dừa', 'Coconut'], ['cay', 'Spicy']]] }],
      ['Hạt dưa', 'Watermelon Seeds', 25_000, 38_000, { tags: ['tet'], vary: [[['', ''], ['đỏ', 'Red']]] }],
      ['Hạt hướng dương', 'Sunflower Seeds', 18_000, 28_000, { vary: [[['', ''], ['vị dừa', 'Coconut'], ['vị muối', 'Salted']]] }],
      ['Hạt bí', 'Pumpkin Seeds', 35_000, 50_000],
      ['Hạt dẻ cười', 'Pistachios', 90_000, 130_000, { tags: ['tet'] }],
      ['Hạt mix dinh dưỡng', 'Mixed Nuts', 70_000, 100_000],
    ],
  },
  {
    leaf: 'trai-cay-say',
    d: { brands: ['Vinamit', 'Nông Lâm Food', 'Tươi'], sizes: ['100g', '250g'], pkg: 'túi', storage: AMBIENT, shelf: 270, may: PLANT, vary: [[['', ''], ['giòn', 'Crispy'], ['dẻo', 'Chewy']]] },
    items: [
      ['Mít sấy', 'Dried Jackfruit', 30_000, 45_000],
      ['Chuối sấy', 'Dried Banana', 20_000, 30_000],
      ['Xoài sấy', 'Dried Mango', 35_000, 50_000],
      ['Khoai lang sấy', 'Sweet Potato Chips', 25_000, 38_000],
      ['Nho khô', 'Raisins', 25_000, 38_000, { vary: [] }],
      ['Trái cây sấy thập cẩm', 'Mixed Dried Fruit', 35_000, 50_000],
      ['Chà là', 'Dates', 40_000, 60_000, { vary: [], origin: 'th' }],
      ['Dâu tây sấy', 'Dried Strawberries', 45_000, 65_000],
    ],
  },
  {
    leaf: 'mut-o-mai',
    d: { brands: ['Hồng Lam', 'Tân Huê Viên', 'Tươi'], sizes: ['200g', '500g'], pkg: 'hộp', storage: AMBIENT, shelf: 180, tags: ['tet'], may: ['vegan'] },
    items: [
      ['Mứt gừng', 'Candied Ginger', 30_000, 45_000],
      ['Mứt dừa', 'Candied Coconut', 30_000, 45_000, { vary: [[['', ''], ['lá dứa', 'Pandan'], ['dâu', 'Strawberry']]] }],
      ['Mứt me', 'Tamarind Candy', 30_000, 45_000],
      ['Mứt sen', 'Candied Lotus Seeds', 50_000, 75_000],
      ['Mứt Tết thập cẩm', 'Assorted Tet Preserves', 80_000, 120_000, { sizes: ['500g', '800g'] }],
      ['Ô mai mơ', 'Salted Dried Apricot', 40_000, 60_000, { vary: [[['', ''], ['gừng', 'Ginger'], ['chua cay', 'Sour & Spicy']]] }],
      ['Ô mai sấu', 'Dracontomelon Preserve', 40_000, 60_000],
    ],
  },
  {
    leaf: 'kho-bo-kho-ga',
    d: { brands: ['Tươi', 'Vissan', 'Tân Huê Viên'], sizes: ['100g', '250g'], pkg: 'túi', storage: AMBIENT, shelf: 180 },
    items: [
      ['Khô bò', 'Beef Jerky', 60_000, 90_000, { vary: [[['miếng', 'Strips'], ['sợi', 'Shredded'], ['cay', 'Spicy'], ['mềm', 'Tender']]] }],
      ['Khô gà lá chanh', 'Chicken Jerky with Lime Leaves', 45_000, 65_000, { vary: [[['', ''], ['cay', 'Spicy'], ['bơ tỏi', 'Garlic Butter']]] }],
      ['Khô heo cháy tỏi', 'Garlic Pork Jerky', 50_000, 70_000],
      ['Chà bông heo', 'Pork Floss', 40_000, 60_000, { vary: [[['', ''], ['cay', 'Spicy']]] }],
      ['Khô mực tẩm', 'Seasoned Dried Squid', 70_000, 100_000, { vary: [[['', ''], ['nướng', 'Grilled'], ['cay', 'Spicy']]] }],
    ],
  },
];
