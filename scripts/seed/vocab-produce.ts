/**
 * Vocabulary of the "Rau củ quả / Fruit & Vegetables" department. Prices are VND for the first size
 * (per kg for items sold by weight), from Ho Chi Minh City supermarket shelves of 2024–2025.
 */
import type { LeafSpec } from './types';

const PRODUCE = ['Tươi Farm', 'Đà Lạt GAP', 'VinEco', 'Organica'];
const VEG = ['vegOrigin', 'vegCert'];
const FRUIT = ['fruitOrigin', 'fruitGrade'];
const PLANT = ['vegan', 'gluten-free'] as const;

/** Leaves of the fruit & vegetables department. */
// prettier-ignore
export const PRODUCE_VOCAB: LeafSpec[] = [
  {
    leaf: 'rau-la',
    d: {
      brands: PRODUCE, sizes: ['300g', '500g'], storage: 'fresh', shelf: 3, vary: VEG, may: PLANT, pkg: 'túi',
      use: ['thích hợp xào tỏi, luộc hoặc nấu canh', 'great stir-fried with garlic, boiled or in soups'],
    },
    items: [
      ['Rau muống', 'Water Spinach', 10_000, 16_000],
      ['Cải thìa', 'Bok Choy', 12_000, 18_000],
      ['Cải ngọt', 'Choy Sum', 11_000, 17_000],
      ['Cải bẹ xanh', 'Mustard Greens', 11_000, 17_000],
      ['Rau dền', 'Amaranth Greens', 10_000, 15_000],
      ['Mồng tơi', 'Malabar Spinach', 10_000, 15_000],
      ['Rau ngót', 'Katuk Leaves', 11_000, 16_000],
      ['Rau lang', 'Sweet Potato Leaves', 9_000, 14_000],
      ['Cải bó xôi', 'Spinach', 18_000, 28_000],
      ['Cải xoăn', 'Kale', 25_000, 40_000],
      ['Cải thảo', 'Napa Cabbage', 14_000, 22_000, { sizes: ['500g', '1kg'] }],
      ['Bắp cải', 'Cabbage', 12_000, 20_000, { sizes: ['500g', '1kg'] }],
      ['Xà lách', 'Lettuce', 14_000, 22_000, { use: ['dùng làm salad, cuốn bánh tráng', 'for salads and rice paper rolls'] }],
      ['Xà lách romaine', 'Romaine Lettuce', 20_000, 30_000, { use: ['dùng làm salad Caesar', 'for Caesar salads'] }],
    ],
  },
  {
    leaf: 'rau-thom',
    d: {
      brands: PRODUCE, sizes: ['100g', '200g'], storage: 'fresh', shelf: 4, vary: VEG, may: PLANT, pkg: 'túi',
      use: ['dùng ăn kèm phở, bún, gỏi cuốn', 'to serve with pho, noodle salads and fresh rolls'],
    },
    items: [
      ['Hành lá', 'Spring Onions', 5_000, 9_000],
      ['Ngò rí', 'Coriander', 5_000, 9_000],
      ['Rau răm', 'Vietnamese Coriander', 5_000, 8_000],
      ['Húng quế', 'Thai Basil', 5_000, 9_000],
      ['Tía tô', 'Perilla', 5_000, 9_000],
      ['Kinh giới', 'Vietnamese Balm', 5_000, 9_000],
      ['Thì là', 'Dill', 6_000, 10_000],
      ['Ngò gai', 'Sawtooth Coriander', 5_000, 8_000],
      ['Sả cây', 'Lemongrass', 6_000, 10_000, { sizes: ['200g', '500g'] }],
      ['Lá chanh', 'Lime Leaves', 5_000, 8_000],
      ['Húng lủi', 'Vietnamese Mint', 5_000, 9_000],
    ],
  },
  {
    leaf: 'hanh-toi-gung-ot',
    d: {
      brands: PRODUCE, sizes: ['200g', '500g'], storage: 'fresh', shelf: 21, vary: VEG, may: PLANT, pkg: 'túi',
      use: ['dùng phi thơm, nêm nếm món ăn hằng ngày', 'for everyday cooking and seasoning'],
    },
    items: [
      ['Hành tây', 'Onion', 8_000, 13_000, { sizes: ['500g', '1kg'] }],
      ['Hành tím', 'Shallots', 12_000, 18_000],
      ['Tỏi', 'Garlic', 14_000, 22_000],
      ['Tỏi Lý Sơn', 'Ly Son Garlic', 40_000, 60_000],
      ['Tỏi đen', 'Black Garlic', 80_000, 120_000, { sizes: ['100g', '250g'], shelf: 180, storage: 'ambient' }],
      ['Gừng', 'Ginger', 10_000, 16_000],
      ['Ớt hiểm', "Bird's Eye Chillies", 6_000, 10_000, { sizes: ['100g', '200g'] }],
      ['Riềng', 'Galangal', 8_000, 12_000],
      ['Nghệ tươi', 'Fresh Turmeric', 8_000, 12_000],
    ],
  },
  {
    leaf: 'cu',
    d: {
      brands: PRODUCE, sizes: ['500g', '1kg'], storage: 'fresh', shelf: 14, vary: VEG, may: PLANT, pkg: 'túi',
      use: ['dùng luộc, hấp, nấu canh hoặc chiên', 'boil, steam, fry or add to soups'],
    },
    items: [
      ['Khoai lang', 'Sweet Potato', 16_000, 24_000],
      ['Khoai lang tím', 'Purple Sweet Potato', 20_000, 30_000],
      ['Khoai lang Nhật', 'Japanese Sweet Potato', 22_000, 32_000],
      ['Khoai tây', 'Potato', 15_000, 25_000],
      ['Cà rốt', 'Carrot', 12_000, 20_000],
      ['Củ cải trắng', 'White Radish', 10_000, 16_000],
      ['Củ dền', 'Beetroot', 15_000, 22_000],
      ['Khoai môn', 'Taro', 20_000, 30_000],
      ['Củ sắn', 'Jicama', 12_000, 18_000],
      ['Khoai mì', 'Cassava', 10_000, 15_000],
      ['Củ sen', 'Lotus Root', 30_000, 45_000],
      ['Khoai mỡ', 'Purple Yam', 18_000, 26_000],
    ],
  },
  {
    leaf: 'rau-an-qua',
    d: {
      brands: PRODUCE, sizes: ['500g', '1kg'], storage: 'fresh', shelf: 7, vary: VEG, may: PLANT, pkg: 'túi',
      use: ['dùng xào, nấu canh hoặc làm salad', 'stir-fry, cook in soups or use in salads'],
    },
    items: [
      ['Cà chua', 'Tomato', 15_000, 25_000],
      ['Cà chua bi', 'Cherry Tomato', 20_000, 35_000, { sizes: ['250g', '500g'], pkg: 'hộp' }],
      ['Dưa leo', 'Cucumber', 12_000, 20_000],
      ['Bí đao', 'Winter Melon', 12_000, 18_000],
      ['Bí đỏ', 'Pumpkin', 18_000, 28_000, { byKg: true, sizes: ['1kg', '2kg'] }],
      ['Bí ngòi', 'Zucchini', 20_000, 30_000],
      ['Bầu', 'Bottle Gourd', 10_000, 16_000],
      ['Mướp', 'Luffa', 12_000, 18_000],
      ['Khổ qua', 'Bitter Melon', 14_000, 22_000],
      ['Cà tím', 'Eggplant', 12_000, 20_000],
      ['Đậu bắp', 'Okra', 12_000, 20_000],
      ['Đậu que', 'Green Beans', 14_000, 22_000],
      ['Ớt chuông', 'Bell Pepper', 25_000, 40_000, { sizes: ['300g', '500g'] }],
      ['Bông cải xanh', 'Broccoli', 22_000, 35_000, { sizes: ['300g', '500g'] }],
      ['Bông cải trắng', 'Cauliflower', 20_000, 32_000, { sizes: ['300g', '500g'] }],
      ['Su su', 'Chayote', 10_000, 15_000],
      ['Su hào', 'Kohlrabi', 12_000, 18_000],
      ['Bắp Mỹ', 'Sweet Corn', 10_000, 15_000, { sizes: ['2pc', '3pc'], count: ['trái', 'cobs'] }],
    ],
  },
  {
    leaf: 'nam-tuoi',
    d: {
      brands: PRODUCE, sizes: ['150g', '300g'], storage: 'fresh', shelf: 5, vary: VEG, may: PLANT, pkg: 'khay',
      use: ['dùng xào, nấu lẩu hoặc nướng', 'stir-fry, grill or add to hot pot'],
    },
    items: [
      ['Nấm rơm', 'Straw Mushrooms', 22_000, 32_000],
      ['Nấm kim châm', 'Enoki Mushrooms', 9_000, 14_000],
      ['Nấm bào ngư', 'Oyster Mushrooms', 12_000, 18_000],
      ['Nấm đùi gà', 'King Oyster Mushrooms', 18_000, 28_000],
      ['Nấm hương tươi', 'Fresh Shiitake', 25_000, 38_000],
      ['Nấm mỡ', 'Button Mushrooms', 22_000, 32_000],
      ['Nấm linh chi nâu', 'Brown Beech Mushrooms', 20_000, 30_000],
    ],
  },
  {
    leaf: 'rau-cu-so-che',
    d: {
      brands: PRODUCE, sizes: ['200g', '400g'], storage: 'fresh', shelf: 2, vary: VEG, may: PLANT, pkg: 'khay',
      use: ['đã sơ chế sạch, chỉ cần rửa lại và nấu', 'washed and cut, ready to cook'],
    },
    items: [
      ['Giá đỗ', 'Bean Sprouts', 5_000, 9_000, { sizes: ['200g', '500g'], pkg: 'túi' }],
      ['Rau nấu canh chua', 'Sour Soup Vegetable Mix', 12_000, 18_000],
      ['Rau nhúng lẩu', 'Hot Pot Vegetable Mix', 18_000, 28_000],
      ['Salad trộn', 'Mixed Salad', 20_000, 30_000],
      ['Rau củ xào thập cẩm', 'Stir-fry Vegetable Mix', 18_000, 26_000],
      ['Bắp cải tím bào', 'Shredded Red Cabbage', 12_000, 18_000],
      ['Rau mầm', 'Microgreens', 10_000, 16_000, { sizes: ['100g', '200g'] }],
    ],
  },
  {
    leaf: 'trai-cay-nhiet-doi',
    d: {
      brands: PRODUCE, sizes: ['500g', '1kg'], storage: 'fresh', shelf: 5, vary: FRUIT, may: PLANT, pkg: 'túi',
      use: ['ăn tươi, ép nước hoặc làm sinh tố', 'eat fresh, juice or blend into smoothies'],
    },
    items: [
      ['Xoài cát Hòa Lộc', 'Hoa Loc Mango', 35_000, 50_000, { vary: ['fruitGrade'] }],
      ['Xoài keo', 'Keo Mango', 14_000, 20_000],
      ['Thanh long ruột đỏ', 'Red Dragon Fruit', 18_000, 28_000],
      ['Thanh long ruột trắng', 'White Dragon Fruit', 12_000, 18_000],
      ['Sầu riêng Ri6', 'Ri6 Durian', 90_000, 140_000, { byKg: true, sizes: ['2kg', '3kg'] }],
      ['Sầu riêng Monthong', 'Monthong Durian', 110_000, 160_000, { byKg: true, sizes: ['2kg', '3kg'] }],
      ['Mít Thái', 'Thai Jackfruit', 25_000, 40_000, { byKg: true, sizes: ['3kg', '5kg'] }],
      ['Chuối già', 'Banana', 12_000, 18_000],
      ['Chuối cau', 'Lady Finger Banana', 14_000, 20_000],
      ['Măng cụt', 'Mangosteen', 30_000, 45_000],
      ['Chôm chôm', 'Rambutan', 18_000, 28_000],
      ['Nhãn xuồng', 'Longan', 25_000, 38_000],
      ['Vú sữa', 'Star Apple', 25_000, 38_000],
      ['Ổi nữ hoàng', 'Queen Guava', 12_000, 18_000],
      ['Đu đủ', 'Papaya', 10_000, 16_000],
      ['Dứa', 'Pineapple', 12_000, 18_000],
      ['Mãng cầu', 'Custard Apple', 25_000, 38_000],
      ['Bơ sáp', 'Avocado', 25_000, 40_000, { use: ['dùng làm sinh tố hoặc ăn với sữa đặc', 'blend into smoothies or eat with condensed milk'] }],
      ['Quả bơ Booth', 'Booth Avocado', 20_000, 32_000],
      ['Dừa xiêm', 'Young Coconut', 15_000, 22_000, { sizes: ['1pc', '3pc'], count: ['trái', 'pcs'] }],
      ['Chanh dây', 'Passion Fruit', 12_000, 18_000],
      ['Khế', 'Star Fruit', 10_000, 15_000],
    ],
  },
  {
    leaf: 'cam-quyt-buoi',
    d: {
      brands: PRODUCE, sizes: ['500g', '1kg'], storage: 'fresh', shelf: 14, vary: FRUIT, may: PLANT, pkg: 'túi',
      use: ['ăn tươi hoặc vắt nước', 'eat fresh or squeeze for juice'],
    },
    items: [
      ['Cam sành', 'King Orange', 14_000, 22_000],
      ['Cam xoàn', 'Xoan Orange', 25_000, 38_000],
      ['Quýt đường', 'Sweet Mandarin', 20_000, 30_000],
      ['Bưởi da xanh', 'Green-skin Pomelo', 45_000, 70_000, { byKg: true, sizes: ['1kg', '2kg'] }],
      ['Bưởi Năm Roi', 'Nam Roi Pomelo', 30_000, 45_000, { byKg: true, sizes: ['1kg', '2kg'] }],
      ['Chanh không hạt', 'Seedless Lime', 10_000, 16_000],
      ['Tắc', 'Calamansi', 6_000, 10_000, { sizes: ['200g', '500g'] }],
    ],
  },
  {
    leaf: 'trai-cay-nhap-khau',
    d: {
      brands: ['Tươi Farm', 'Organica'], sizes: ['500g', '1kg'], storage: 'fresh', shelf: 14, may: PLANT,
      pkg: 'túi', vary: ['importOrigin', 'fruitGrade'], use: ['ăn tươi, làm salad trái cây', 'eat fresh or add to fruit salads'],
    },
    items: [
      ['Táo Envy', 'Envy Apple', 60_000, 85_000],
      ['Táo Fuji', 'Fuji Apple', 40_000, 60_000],
      ['Táo Gala', 'Gala Apple', 35_000, 50_000],
      ['Táo xanh', 'Green Apple', 40_000, 55_000],
      ['Lê Hàn Quốc', 'Korean Pear', 50_000, 75_000, { vary: ['fruitGrade'], origin: 'kr' }],
      ['Nho xanh không hạt', 'Green Seedless Grapes', 60_000, 90_000],
      ['Nho đen không hạt', 'Black Seedless Grapes', 65_000, 95_000],
      ['Kiwi vàng', 'Gold Kiwifruit', 70_000, 100_000, { brands: ['Zespri', 'Tươi Farm'], vary: ['fruitGrade'], origin: 'nz' }],
      ['Kiwi xanh', 'Green Kiwifruit', 50_000, 75_000, { brands: ['Zespri', 'Tươi Farm'], vary: ['fruitGrade'], origin: 'nz' }],
      ['Việt quất', 'Blueberries', 70_000, 110_000, { sizes: ['125g', '250g'], pkg: 'hộp', brands: ["Driscoll's", 'Tươi Farm'] }],
      ['Cherry', 'Cherries', 120_000, 180_000, { sizes: ['250g', '500g'], pkg: 'hộp' }],
      ['Cam vàng', 'Navel Orange', 35_000, 50_000, { brands: ['Sunkist', 'Tươi Farm'] }],
      ['Chuối Dole', 'Dole Banana', 25_000, 35_000, { brands: ['Dole'], vary: ['fruitGrade'] }],
    ],
  },
  {
    leaf: 'dua',
    d: {
      brands: PRODUCE, sizes: ['2kg', '3kg'], byKg: true, storage: 'fresh', shelf: 10, vary: FRUIT, may: PLANT,
      pkg: 'túi', use: ['ăn tươi, ướp lạnh càng ngon', 'best served chilled'],
    },
    items: [
      ['Dưa hấu', 'Watermelon', 12_000, 20_000],
      ['Dưa hấu không hạt', 'Seedless Watermelon', 18_000, 26_000],
      ['Dưa lưới', 'Rock Melon', 45_000, 70_000, { sizes: ['1kg', '2kg'] }],
      ['Dưa lê', 'Oriental Melon', 30_000, 45_000, { sizes: ['1kg', '2kg'] }],
      ['Dưa vàng', 'Yellow Honeydew', 35_000, 50_000, { sizes: ['1kg', '2kg'] }],
    ],
  },
  {
    leaf: 'trai-cay-cat-san',
    d: {
      brands: ['Tươi Farm', 'Tươi'], sizes: ['200g', '400g'], storage: 'chilled', shelf: 2, may: PLANT, pkg: 'hộp',
      vary: [[['', ''], ['ướp lạnh', 'Chilled'], ['kèm muối ớt', 'with Chilli Salt', { after: true }]]],
      use: ['cắt sẵn, ăn ngay', 'ready to eat'],
    },
    items: [
      ['Dưa hấu cắt sẵn', 'Cut Watermelon', 15_000, 22_000],
      ['Dứa cắt sẵn', 'Cut Pineapple', 18_000, 25_000],
      ['Xoài cắt sẵn', 'Cut Mango', 25_000, 35_000],
      ['Trái cây thập cẩm', 'Mixed Fruit Cup', 25_000, 38_000],
      ['Mít tách múi', 'Jackfruit Pods', 25_000, 35_000],
      ['Sầu riêng tách múi', 'Durian Pods', 90_000, 130_000],
      ['Bưởi tách múi', 'Peeled Pomelo', 30_000, 42_000],
    ],
  },
];
