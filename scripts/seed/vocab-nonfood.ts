/**
 * Vocabulary of the personal care, household, baby and pet departments. Prices are VND for the first
 * size listed.
 */
import type { LeafSpec } from './types';

const NF = 'nonfood' as const;
const AMBIENT = 'ambient' as const;
const DIAPERS = ['Bobby', 'Huggies', 'Pampers', 'Merries', 'Molfix', 'Moony'];

/** Leaves of the personal care, household, baby and pet departments. */
// prettier-ignore
export const NONFOOD_VOCAB: LeafSpec[] = [
  {
    leaf: 'dau-goi',
    d: { brands: ['Clear', 'Sunsilk', 'Dove', 'Pantene', 'Head & Shoulders', 'TRESemmé'], sizes: ['180ml', '650ml', '900ml'], packs: [2], pkg: 'chai', storage: NF, vary: ['hairType'] },
    items: [
      ['Dầu gội', 'Shampoo', 45_000, 65_000],
      ['Dầu gội dược liệu', 'Herbal Shampoo', 50_000, 75_000, { brands: ['Thái Dương', 'Tươi'], sizes: ['200ml', '480ml'], vary: [[['', ''], ['bồ kết', 'Soapberry'], ['bưởi', 'Pomelo'], ['hà thủ ô', 'Fo-ti']]] }],
      ['Dầu gội nam', "Men's Shampoo", 50_000, 75_000, { brands: ['Clear', 'X-Men', 'Romano'], vary: [[['', ''], ['sạch gàu', 'Anti-dandruff'], ['bạc hà', 'Cool Menthol'], ['hương nước hoa', 'Cologne']]] }],
    ],
  },
  {
    leaf: 'dau-xa',
    d: { brands: ['Sunsilk', 'Dove', 'Pantene', 'TRESemmé', 'Clear'], sizes: ['170ml', '320ml', '620ml'], pkg: 'chai', storage: NF, vary: ['hairType'] },
    items: [
      ['Dầu xả', 'Conditioner', 45_000, 65_000],
      ['Kem ủ tóc', 'Hair Mask', 60_000, 90_000, { sizes: ['180ml', '300ml'], pkg: 'hũ' }],
    ],
  },
  {
    leaf: 'tao-kieu-toc',
    d: { brands: ['Romano', 'X-Men', 'Gatsby'], sizes: ['75g', '150g'], pkg: 'hũ', storage: NF, vary: [[['', ''], ['giữ nếp lâu', 'Extra Hold'], ['bóng mượt', 'Glossy']]] },
    items: [
      ['Gel vuốt tóc', 'Hair Gel', 35_000, 55_000],
      ['Sáp vuốt tóc', 'Hair Wax', 60_000, 95_000],
      ['Keo xịt tóc', 'Hair Spray', 55_000, 80_000, { sizes: ['150ml', '300ml'], pkg: 'chai' }],
    ],
  },
  {
    leaf: 'sua-tam',
    d: { brands: ['Lifebuoy', 'Dove', 'Hazeline', 'Palmolive', 'Lux', 'Enchanteur'], sizes: ['200ml', '500ml', '850ml'], packs: [2], pkg: 'chai', storage: NF, vary: ['bodyScent'] },
    items: [
      ['Sữa tắm', 'Body Wash', 40_000, 60_000],
      ['Sữa tắm nam', "Men's Body Wash", 55_000, 80_000, { brands: ['X-Men', 'Romano', 'Lifebuoy'], vary: [[['', ''], ['hương gỗ', 'Woody'], ['sạch sâu', 'Deep Clean'], ['mát lạnh', 'Cool']]] }],
      ['Sữa tắm gội 2 trong 1', '2-in-1 Shampoo & Body Wash', 60_000, 85_000, { brands: ['X-Men', 'Romano', 'Tươi'], vary: [] }],
    ],
  },
  {
    leaf: 'xa-phong',
    d: { brands: ['Lifebuoy', 'Dove', 'Lux', 'Safeguard', 'Palmolive'], sizes: ['90g'], packs: [3, 4], pkg: 'cục', storage: NF, vary: ['bodyScent'] },
    items: [
      ['Xà bông cục', 'Bar Soap', 12_000, 22_000],
      ['Nước rửa tay', 'Hand Wash', 35_000, 55_000, { brands: ['Lifebuoy', 'Dettol', 'Safeguard', 'Tươi'], sizes: ['180ml', '500ml'], packs: [], pkg: 'chai', vary: [[['', ''], ['bảo vệ vượt trội', 'Total Protect'], ['dưỡng ẩm', 'Moisturising'], ['trà xanh', 'Green Tea']]] }],
      ['Gel rửa tay khô', 'Hand Sanitiser', 25_000, 40_000, { brands: ['Lifebuoy', 'Dettol', 'Tươi'], sizes: ['100ml', '500ml'], packs: [], pkg: 'chai', vary: [] }],
    ],
  },
  {
    leaf: 'lan-khu-mui',
    d: { brands: ['Nivea', 'Rexona', 'Dove', 'X-Men', 'Enchanteur'], sizes: ['25ml', '50ml'], pkg: 'chai', storage: NF, vary: [[['', ''], ['nam', 'Men'], ['nữ', 'Women'], ['khô thoáng', 'Dry'], ['trắng da', 'Even Tone']]] },
    items: [
      ['Lăn khử mùi', 'Roll-on Deodorant', 55_000, 85_000],
      ['Xịt khử mùi', 'Deodorant Spray', 65_000, 95_000, { sizes: ['100ml', '150ml'] }],
      ['Sáp khử mùi', 'Deodorant Stick', 70_000, 100_000, { sizes: ['40g', '50g'] }],
    ],
  },
  {
    leaf: 'sua-duong-the',
    d: { brands: ['Vaseline', 'Nivea', 'Hazeline', 'Dove'], sizes: ['200ml', '350ml'], pkg: 'chai', storage: NF, vary: [[['', ''], ['dưỡng trắng', 'Brightening'], ['chống nắng', 'SPF'], ['phục hồi da', 'Repair'], ['dưỡng ẩm sâu', 'Deep Moisture']]] },
    items: [
      ['Sữa dưỡng thể', 'Body Lotion', 70_000, 110_000],
      ['Kem dưỡng da tay', 'Hand Cream', 40_000, 65_000, { sizes: ['50ml', '100ml'], pkg: 'tuýp' }],
      ['Son dưỡng môi', 'Lip Balm', 35_000, 60_000, { brands: ['Vaseline', 'Nivea'], sizes: ['4g', '7g'], pkg: 'thỏi' }],
    ],
  },
  {
    leaf: 'kem-danh-rang',
    d: { brands: ['P/S', 'Colgate', 'Closeup', 'Sensodyne', 'Crest'], sizes: ['100g', '180g', '230g'], packs: [2, 3], pkg: 'tuýp', storage: NF, vary: ['toothpasteType'] },
    items: [
      ['Kem đánh răng', 'Toothpaste', 25_000, 40_000],
      ['Kem đánh răng trẻ em', "Kids' Toothpaste", 25_000, 40_000, { brands: ['P/S', 'Colgate', 'Pigeon'], sizes: ['35g', '75g'], vary: [[['hương dâu', 'Strawberry'], ['hương cam', 'Orange'], ['hương nho', 'Grape']]] }],
    ],
  },
  {
    leaf: 'ban-chai',
    d: { brands: ['P/S', 'Colgate', 'Oral-B', 'Sensodyne'], sizes: ['1pc', '2pc', '3pc'], count: ['cây', 'brushes'], pkg: 'vỉ', storage: NF },
    items: [
      ['Bàn chải đánh răng', 'Toothbrush', 15_000, 35_000, { vary: [[['lông mềm', 'Soft'], ['lông siêu mềm', 'Extra Soft'], ['than tre', 'Bamboo Charcoal'], ['trẻ em', 'Kids']]] }],
      ['Chỉ nha khoa', 'Dental Floss', 35_000, 60_000, { brands: ['Oral-B', 'Colgate', 'Tươi'], sizes: ['1pc', '50pc'], count: ['hộp', 'picks'], vary: [[['', ''], ['hương bạc hà', 'Mint']]] }],
    ],
  },
  {
    leaf: 'nuoc-suc-mieng',
    d: { brands: ['Listerine', 'Colgate', 'P/S'], sizes: ['250ml', '500ml', '750ml'], pkg: 'chai', storage: NF },
    items: [
      ['Nước súc miệng', 'Mouthwash', 45_000, 75_000, { vary: [[['', ''], ['bạc hà', 'Cool Mint'], ['trà xanh', 'Green Tea'], ['không cồn', 'Alcohol-free'], ['trắng răng', 'Whitening']]] }],
      ['Xịt thơm miệng', 'Breath Spray', 35_000, 55_000, { sizes: ['12ml', '20ml'] }],
    ],
  },
  {
    leaf: 'sua-rua-mat',
    d: { brands: ["Pond's", 'Hada Labo', 'Bioré', 'Senka', 'Cetaphil', 'Acnes'], sizes: ['50g', '100g'], pkg: 'tuýp', storage: NF, vary: ['skinType'] },
    items: [
      ['Sữa rửa mặt', 'Facial Cleanser', 50_000, 90_000],
      ['Gel rửa mặt', 'Gel Cleanser', 60_000, 110_000, { sizes: ['100ml', '200ml'], pkg: 'chai' }],
    ],
  },
  {
    leaf: 'kem-chong-nang',
    d: { brands: ['Anessa', 'Bioré', 'Sunplay', 'Skin Aqua', 'La Roche-Posay'], sizes: ['50ml', '70ml'], pkg: 'tuýp', storage: NF, vary: [[['', ''], ['SPF50+', 'SPF50+'], ['nâng tông', 'Tone-up'], ['dạng sữa', 'Milk'], ['dạng gel', 'Gel'], ['cho da dầu', 'for Oily Skin', { after: true }]]] },
    items: [
      ['Kem chống nắng', 'Sunscreen', 120_000, 280_000],
      ['Xịt chống nắng', 'Sunscreen Spray', 120_000, 280_000, { sizes: ['50g', '90g'], pkg: 'chai' }],
    ],
  },
  {
    leaf: 'mat-na-duong-da',
    d: { brands: ['Mediheal', 'Innisfree', "Pond's", 'Hada Labo'], sizes: ['1pc', '10pc'], count: ['miếng', 'sheets'], pkg: 'hộp', storage: NF, vary: ['skinType'] },
    items: [
      ['Mặt nạ giấy', 'Sheet Mask', 20_000, 35_000],
      ['Kem dưỡng ẩm', 'Moisturiser', 120_000, 250_000, { brands: ['Hada Labo', 'Nivea', "Pond's", 'Cetaphil'], sizes: ['50g', '100g'], pkg: 'hũ' }],
      ['Nước hoa hồng', 'Toner', 100_000, 200_000, { brands: ['Hada Labo', 'Senka', 'Innisfree'], sizes: ['170ml', '300ml'], pkg: 'chai' }],
    ],
  },
  {
    leaf: 'tay-trang',
    d: { brands: ['Bioderma', 'Garnier', 'Senka', 'Simple'], sizes: ['100ml', '400ml'], pkg: 'chai', storage: NF, vary: ['skinType'] },
    items: [
      ['Nước tẩy trang', 'Micellar Water', 45_000, 110_000],
      ['Bông tẩy trang', 'Cotton Pads', 20_000, 35_000, { brands: ['Tươi', 'Senka'], sizes: ['80pc', '150pc'], count: ['miếng', 'pads'], pkg: 'túi', vary: [] }],
    ],
  },
  {
    leaf: 've-sinh-phu-nu',
    d: { brands: ['Kotex', 'Diana', 'Laurier', 'Whisper'], sizes: ['8pc', '20pc'], count: ['miếng', 'pads'], packs: [3], pkg: 'gói', storage: NF },
    items: [
      ['Băng vệ sinh', 'Sanitary Pads', 18_000, 30_000, { vary: [[['siêu mỏng cánh', 'Ultra-thin Winged'], ['ban đêm', 'Overnight'], ['ban ngày', 'Day'], ['thảo dược', 'Herbal']]] }],
      ['Băng vệ sinh hằng ngày', 'Panty Liners', 20_000, 32_000, { sizes: ['20pc', '40pc'], vary: [[['', ''], ['không mùi', 'Unscented'], ['kháng khuẩn', 'Antibacterial']]] }],
      ['Dung dịch vệ sinh phụ nữ', 'Feminine Wash', 45_000, 75_000, { brands: ['Lactacyd', 'Dạ Hương'], sizes: ['100ml', '250ml'], pkg: 'chai', packs: [] }],
    ],
  },
  {
    leaf: 'dao-cao',
    d: { brands: ['Gillette', 'Dorco'], sizes: ['2pc', '4pc'], count: ['cây', 'razors'], pkg: 'vỉ', storage: NF },
    items: [
      ['Dao cạo râu', 'Razor', 20_000, 45_000, { vary: [[['2 lưỡi', 'Twin-blade'], ['3 lưỡi', '3-blade'], ['5 lưỡi', '5-blade', { price: 2 }]]] }],
      ['Bọt cạo râu', 'Shaving Foam', 60_000, 90_000, { brands: ['Gillette', 'Nivea'], sizes: ['175ml', '300ml'], pkg: 'chai' }],
    ],
  },
  {
    leaf: 'bot-giat',
    d: { brands: ['OMO', 'Ariel', 'Tide', 'Aba', 'Surf', 'Lix'], sizes: ['400g', '800g', '3kg', '6kg'], pkg: 'túi', storage: NF, vary: ['laundryScent'] },
    items: [
      ['Bột giặt', 'Laundry Powder', 20_000, 30_000],
      ['Bột giặt máy', 'Machine Laundry Powder', 24_000, 34_000, { vary: [[['cửa trên', 'Top-load'], ['cửa trước', 'Front-load']]] }],
    ],
  },
  {
    leaf: 'nuoc-giat',
    d: { brands: ['OMO', 'Ariel', 'Aba', 'Surf', 'Lix', 'Tide'], sizes: ['800ml@túi', '2l@túi', '3.5l@can'], pkg: 'túi', storage: NF, vary: ['laundryMachine', 'laundryScent'] },
    items: [
      ['Nước giặt', 'Liquid Laundry Detergent', 40_000, 55_000],
      ['Viên giặt', 'Laundry Pods', 140_000, 200_000, { brands: ['Ariel', 'OMO', 'Tide'], sizes: ['26pc', '46pc'], count: ['viên', 'pods'], pkg: 'hộp', vary: ['laundryScent'] }],
    ],
  },
  {
    leaf: 'nuoc-xa-vai',
    d: { brands: ['Downy', 'Comfort', 'Hygiene'], sizes: ['800ml@túi', '1.6l@túi', '3l@can'], pkg: 'túi', storage: NF, vary: ['softenerScent'] },
    items: [
      ['Nước xả vải', 'Fabric Softener', 35_000, 50_000],
      ['Nước xả vải đậm đặc', 'Concentrated Fabric Softener', 45_000, 65_000],
    ],
  },
  {
    leaf: 'tay-quan-ao',
    d: { brands: ['Clorox', 'Vanish', 'Mỹ Hảo', 'Tươi'], sizes: ['500ml', '1l'], pkg: 'chai', storage: NF },
    items: [
      ['Nước tẩy quần áo', 'Laundry Bleach', 20_000, 35_000, { vary: [[['', ''], ['cho đồ trắng', 'for Whites', { after: true }], ['cho đồ màu', 'for Colours', { after: true }]]] }],
      ['Nước tẩy vết bẩn', 'Stain Remover', 60_000, 95_000, { brands: ['Vanish', 'Tươi'] }],
    ],
  },
  {
    leaf: 'nuoc-rua-chen',
    d: { brands: ['Sunlight', 'Mỹ Hảo', 'Lix', 'Gift'], sizes: ['400ml@chai', '750ml@chai', '3.6l@can'], pkg: 'chai', storage: NF, vary: ['dishScent'] },
    items: [
      ['Nước rửa chén', 'Dish Soap', 18_000, 28_000],
      ['Viên rửa chén', 'Dishwasher Tablets', 180_000, 260_000, { brands: ['Finish', 'Tươi'], sizes: ['30pc', '60pc'], count: ['viên', 'tablets'], pkg: 'hộp', vary: [[['', ''], ['tất cả trong 1', 'All-in-One']]] }],
      ['Nước rửa bình sữa', 'Baby Bottle Cleanser', 60_000, 90_000, { brands: ['Pigeon', 'D-nee', 'Arau Baby'], sizes: ['500ml', '700ml'], vary: [] }],
    ],
  },
  {
    leaf: 'nuoc-lau-san',
    d: { brands: ['Sunlight', 'Gift', 'Lix', 'Mỹ Hảo'], sizes: ['1l@chai', '3.8l@can'], pkg: 'chai', storage: NF, vary: ['floorScent'] },
    items: [
      ['Nước lau sàn', 'Floor Cleaner', 30_000, 45_000],
      ['Nước lau sàn diệt khuẩn', 'Antibacterial Floor Cleaner', 35_000, 52_000],
    ],
  },
  {
    leaf: 'tay-rua-nha-tam',
    d: { brands: ['Vim', 'Duck', 'Gift', 'Cif'], sizes: ['500ml', '900ml'], pkg: 'chai', storage: NF },
    items: [
      ['Nước tẩy bồn cầu', 'Toilet Cleaner', 25_000, 40_000, { vary: [[['', ''], ['hương chanh', 'Lemon'], ['hương thông', 'Pine'], ['diệt khuẩn', 'Antibacterial']]] }],
      ['Nước tẩy rửa nhà tắm', 'Bathroom Cleaner', 35_000, 55_000, { vary: [[['', ''], ['hương chanh', 'Lemon'], ['tẩy cặn vôi', 'Limescale']]] }],
      ['Viên thả bồn cầu', 'Toilet Bowl Tablets', 25_000, 40_000, { brands: ['Duck', 'Gift'], sizes: ['2pc', '4pc'], count: ['viên', 'tablets'], pkg: 'vỉ' }],
    ],
  },
  {
    leaf: 'nuoc-lau-kinh-bep',
    d: { brands: ['Gift', 'Sunlight', 'Mr Muscle', 'Cif'], sizes: ['500ml', '800ml'], pkg: 'chai', storage: NF, vary: [[['', ''], ['hương chanh', 'Lemon'], ['hương táo', 'Apple']]] },
    items: [
      ['Nước lau kính', 'Glass Cleaner', 25_000, 40_000],
      ['Nước tẩy dầu mỡ nhà bếp', 'Kitchen Degreaser', 35_000, 55_000],
      ['Nước lau đa năng', 'Multi-surface Cleaner', 30_000, 45_000],
    ],
  },
  {
    leaf: 'giay-ve-sinh',
    d: { brands: ['Bảo Ngọc', 'Pulppy', 'Watersilk', 'Kleenex'], sizes: ['6pc', '10pc', '12pc'], count: ['cuộn', 'rolls'], pkg: 'lốc', storage: NF, vary: ['paperPly'] },
    items: [
      ['Giấy vệ sinh', 'Toilet Paper', 25_000, 45_000],
      ['Giấy vệ sinh cuộn lớn', 'Jumbo Roll Toilet Paper', 25_000, 40_000, { sizes: ['1pc', '2pc'], vary: [] }],
    ],
  },
  {
    leaf: 'khan-giay',
    d: { brands: ['Pulppy', 'Bảo Ngọc', 'Kleenex', 'Watersilk', 'Tempo'], sizes: ['100pc', '180pc'], count: ['tờ', 'sheets'], packs: [3, 5], pkg: 'gói', storage: NF, vary: ['paperPly'] },
    items: [
      ['Khăn giấy rút', 'Facial Tissues', 12_000, 20_000],
      ['Khăn giấy ăn', 'Napkins', 10_000, 16_000],
      ['Khăn giấy bỏ túi', 'Pocket Tissues', 15_000, 22_000, { sizes: ['10pc'], count: ['gói', 'packs'], packs: [3] }],
    ],
  },
  {
    leaf: 'khan-uot',
    d: { brands: ['Mamamy', 'Pulppy', 'Bobby', 'Tươi'], sizes: ['10pc', '80pc', '100pc'], count: ['tờ', 'wipes'], packs: [3], pkg: 'gói', storage: NF, vary: [[['', ''], ['không mùi', 'Unscented'], ['kháng khuẩn', 'Antibacterial'], ['hương trà xanh', 'Green Tea']]] },
    items: [
      ['Khăn ướt', 'Wet Wipes', 8_000, 12_000],
      ['Khăn ướt lau bếp', 'Kitchen Wipes', 25_000, 35_000, { sizes: ['40pc', '80pc'] }],
    ],
  },
  {
    leaf: 'giay-bep',
    d: { brands: ['Bảo Ngọc', 'Pulppy', 'Kleenex'], sizes: ['2pc', '4pc'], count: ['cuộn', 'rolls'], pkg: 'lốc', storage: NF },
    items: [
      ['Khăn giấy lau bếp', 'Kitchen Towels', 25_000, 40_000, { vary: [[['', ''], ['siêu thấm', 'Super Absorbent'], ['2 lớp', '2-ply']]] }],
      ['Giấy thấm dầu', 'Oil Blotting Paper', 20_000, 30_000, { sizes: ['1pc', '2pc'] }],
    ],
  },
  {
    leaf: 'tui-rac',
    d: { brands: ['Inochi', 'Tươi'], sizes: ['1pc', '3pc'], count: ['cuộn', 'rolls'], pkg: 'lốc', storage: NF, vary: [[['đen', 'Black'], ['tự hủy sinh học', 'Biodegradable'], ['có quai', 'Handle-tie'], ['màu', 'Coloured']], [['size nhỏ', 'Small'], ['size trung', 'Medium'], ['size lớn', 'Large']]] },
    items: [
      ['Túi đựng rác', 'Bin Bags', 20_000, 30_000],
    ],
  },
  {
    leaf: 'mang-boc-hop-dung',
    d: { brands: ['Ringo', 'Inochi', 'Tươi'], sizes: ['1pc', '2pc'], count: ['cuộn', 'rolls'], pkg: 'hộp', storage: NF },
    items: [
      ['Màng bọc thực phẩm', 'Cling Film', 35_000, 60_000, { vary: [[['30 cm × 100 m', '30 cm × 100 m'], ['30 cm × 200 m', '30 cm × 200 m', { price: 1.8 }], ['45 cm × 300 m', '45 cm × 300 m', { price: 3 }]]] }],
      ['Giấy bạc', 'Aluminium Foil', 35_000, 60_000, { vary: [[['30 cm × 5 m', '30 cm × 5 m'], ['30 cm × 10 m', '30 cm × 10 m', { price: 1.8 }]]] }],
      ['Túi zip đựng thực phẩm', 'Zip Food Bags', 25_000, 40_000, { sizes: ['20pc', '50pc'], count: ['túi', 'bags'], vary: [[['size nhỏ', 'Small'], ['size vừa', 'Medium'], ['size lớn', 'Large']]] }],
      ['Hộp nhựa đựng thực phẩm', 'Food Storage Containers', 60_000, 120_000, { brands: ['Inochi', 'Lock&Lock'], sizes: ['1pc', '3pc'], count: ['hộp', 'boxes'], vary: [[['500 ml', '500 ml'], ['1 l', '1 l'], ['chịu nhiệt', 'Heat-resistant']]] }],
      ['Giấy nến nướng bánh', 'Baking Paper', 30_000, 45_000],
    ],
  },
  {
    leaf: 'diet-con-trung',
    d: { brands: ['Raid', 'Jumbo Vape', 'Ars'], sizes: ['300ml', '600ml'], pkg: 'chai', storage: NF },
    items: [
      ['Bình xịt côn trùng', 'Insect Spray', 55_000, 85_000, { vary: [[['', ''], ['hương chanh', 'Lemon'], ['hương lavender', 'Lavender'], ['không mùi', 'Odourless']]] }],
      ['Nhang muỗi', 'Mosquito Coils', 15_000, 25_000, { sizes: ['10pc', '20pc'], count: ['khoanh', 'coils'], pkg: 'hộp' }],
      ['Tinh dầu đuổi muỗi', 'Mosquito Repellent Refill', 50_000, 75_000, { sizes: ['45ml'], vary: [[['', ''], ['không mùi', 'Odourless']]] }],
    ],
  },
  {
    leaf: 'xit-phong',
    d: { brands: ['Glade', 'Ambi Pur', 'Tươi'], sizes: ['280ml', '400ml'], pkg: 'chai', storage: NF, vary: [[['hương lavender', 'Lavender'], ['hương chanh', 'Lemon'], ['hương hoa nhài', 'Jasmine'], ['hương cà phê', 'Coffee'], ['hương biển', 'Ocean']]] },
    items: [
      ['Xịt phòng', 'Air Freshener Spray', 45_000, 70_000],
      ['Sáp thơm', 'Scented Gel', 35_000, 55_000, { sizes: ['180g', '200g'], pkg: 'hộp' }],
      ['Túi thơm treo xe', 'Car Air Freshener', 30_000, 50_000, { sizes: ['1pc', '2pc'], count: ['túi', 'sachets'] }],
    ],
  },
  {
    leaf: 'pin',
    d: { brands: ['Panasonic', 'Energizer', 'Con Ó', 'Duracell'], sizes: ['2pc', '4pc'], count: ['viên', 'batteries'], pkg: 'vỉ', storage: NF, vary: [[['', ''], ['alkaline', 'Alkaline', { price: 2 }], ['sạc', 'Rechargeable', { price: 5 }]]] },
    items: [
      ['Pin tiểu AA', 'AA Batteries', 8_000, 15_000],
      ['Pin đũa AAA', 'AAA Batteries', 8_000, 15_000],
      ['Pin cúc áo', 'Button Cell Batteries', 15_000, 30_000, { sizes: ['1pc', '5pc'], vary: [[['CR2032', 'CR2032'], ['LR44', 'LR44']]] }],
    ],
  },
  {
    leaf: 'dung-cu-ve-sinh',
    d: { brands: ['Scotch-Brite', 'Tươi', 'Inochi'], sizes: ['1pc', '3pc'], count: ['cái', 'pcs'], pkg: 'gói', storage: NF },
    items: [
      ['Găng tay cao su', 'Rubber Gloves', 20_000, 35_000, { count: ['đôi', 'pairs'], vary: [[['size S', 'Size S'], ['size M', 'Size M'], ['size L', 'Size L']]] }],
      ['Miếng rửa chén', 'Scouring Pads', 10_000, 18_000, { sizes: ['3pc', '10pc'], vary: [[['', ''], ['siêu sạch', 'Heavy Duty'], ['không trầy', 'Non-scratch']]] }],
      ['Khăn lau đa năng', 'Microfibre Cloths', 25_000, 40_000, { sizes: ['2pc', '5pc'] }],
    ],
  },
  {
    leaf: 'sua-bot-tre-em',
    d: {
      brands: ['Vinamilk|Optimum Gold', 'Vinamilk|Dielac Grow Plus', 'Nutifood|GrowPLUS+', 'Abbott|Similac', 'Friso|Friso Gold', 'Mead Johnson|Enfa A+', 'Meiji', 'Nestlé|NAN', 'Aptamil'],
      sizes: ['400g@lon', '800g@lon', '1.5kg@lon'], pkg: 'lon', storage: AMBIENT, shelf: 540, brandFirst: true,
      vary: [[['số 1', 'Stage 1'], ['số 2', 'Stage 2'], ['số 3', 'Stage 3'], ['số 4', 'Stage 4']], [['', ''], ['HMO', 'HMO', { price: 1.2 }], ['A2', 'A2', { price: 1.25 }]]],
      use: ['pha theo hướng dẫn trên bao bì', 'prepare as directed on the pack'],
    },
    items: [
      ['Sữa bột', 'Formula Milk', 200_000, 380_000],
    ],
  },
  {
    leaf: 'sua-pha-san',
    d: { brands: ['Vinamilk|Optimum Gold', 'Nutifood|GrowPLUS+', 'Abbott|Pediasure', 'Friso', 'Vinamilk|Dielac Grow Plus'], sizes: ['110ml', '180ml'], packs: [4, 48], pkg: 'hộp', storage: AMBIENT, shelf: 270, brandFirst: true },
    items: [
      ['Sữa bột pha sẵn', 'Ready-to-Drink Formula', 9_000, 14_000, { vary: [[['', ''], ['ít đường', 'Less Sugar'], ['hương vani', 'Vanilla']]] }],
      ['Sữa tươi trẻ em', "Kids' Fresh Milk", 7_000, 9_000, { brands: ['TH true MILK', 'Vinamilk', 'Dalat Milk', 'Nutifood'], brandFirst: false, vary: ['milkSugar'] }],
      ['Sữa chua uống trẻ em', "Kids' Drinking Yogurt", 6_000, 8_000, { brands: ['Nutifood', 'Vinamilk', 'Dutch Lady'], brandFirst: false, vary: [[['dâu', 'Strawberry'], ['cam', 'Orange'], ['nho', 'Grape']]] }],
    ],
  },
  {
    leaf: 'sua-bau',
    d: { brands: ['Abbott|Similac Mom', 'Mead Johnson|Enfamama', 'Vinamilk|Dielac Mama', 'Friso|Frisomum', 'Nutifood'], sizes: ['400g@lon', '900g@lon'], pkg: 'lon', storage: AMBIENT, shelf: 540, brandFirst: true },
    items: [
      ['Sữa bầu', 'Maternity Milk', 220_000, 320_000, { vary: [[['', ''], ['hương vani', 'Vanilla'], ['hương cam', 'Orange'], ['ít béo', 'Low-fat']]] }],
    ],
  },
  {
    leaf: 'bot-an-dam',
    d: { brands: ['Vinamilk|Ridielac', 'Nestlé|Cerelac', 'HiPP', 'Heinz'], sizes: ['200g@hộp', '350g@hộp'], pkg: 'hộp', storage: AMBIENT, shelf: 365, brandFirst: true },
    items: [
      ['Bột ăn dặm', 'Baby Cereal', 45_000, 90_000, { vary: [[['gạo sữa', 'Rice & Milk'], ['bò rau củ', 'Beef & Vegetables'], ['gà rau củ', 'Chicken & Vegetables'], ['cá hồi', 'Salmon'], ['trái cây', 'Fruit'], ['yến mạch', 'Oat']]] }],
    ],
  },
  {
    leaf: 'chao-nghien-be',
    d: { brands: ['Cây Thị', 'Sài Gòn Food', 'Tươi'], sizes: ['150g', '240g'], packs: [3], pkg: 'gói', storage: AMBIENT, shelf: 365 },
    items: [
      ['Cháo dinh dưỡng cho bé', "Baby's Nutritional Porridge", 20_000, 30_000, { vary: [[['thịt bò', 'Beef'], ['cá hồi', 'Salmon'], ['lươn', 'Eel'], ['gà hạt sen', 'Chicken & Lotus Seed']]] }],
      ['Trái cây nghiền cho bé', 'Fruit Purée Pouch', 25_000, 40_000, { brands: ['HiPP', 'Heinz', 'Gerber'], sizes: ['90g', '120g'], may: ['vegan', 'gluten-free'], vary: [[['táo', 'Apple'], ['chuối', 'Banana'], ['lê', 'Pear'], ['xoài', 'Mango']]] }],
    ],
  },
  {
    leaf: 'banh-an-dam',
    d: { brands: ['Gerber', 'Wakodo', 'Pigeon', 'Heinz'], sizes: ['25g', '42g'], pkg: 'hộp', storage: AMBIENT, shelf: 365, vary: [[['', ''], ['vị táo', 'Apple'], ['vị chuối', 'Banana'], ['vị khoai lang', 'Sweet Potato'], ['vị phô mai', 'Cheese']]] },
    items: [
      ['Bánh ăn dặm', 'Baby Puffs', 55_000, 80_000, { may: ['nut-free'] }],
      ['Bánh gạo ăn dặm', 'Baby Rice Rusks', 45_000, 70_000, { may: ['gluten-free'] }],
    ],
  },
  {
    leaf: 'ta-quan',
    d: { brands: DIAPERS, sizes: ['24pc', '48pc', '62pc'], count: ['miếng', 'pcs'], pkg: 'bịch', storage: NF, vary: [[['size M', 'Size M'], ['size L', 'Size L'], ['size XL', 'Size XL'], ['size XXL', 'Size XXL']], [['', ''], ['siêu mỏng', 'Ultra-thin'], ['bé trai', 'Boys'], ['bé gái', 'Girls'], ['cao cấp', 'Premium', { price: 1.3 }]]] },
    items: [
      ['Tã quần', 'Pull-up Diapers', 110_000, 170_000],
      ['Tã quần người lớn', 'Adult Pull-up Diapers', 120_000, 180_000, { brands: ['Bobby', 'Tươi'], sizes: ['10pc', '20pc'], vary: [[['size M', 'Size M'], ['size L', 'Size L']]] }],
    ],
  },
  {
    leaf: 'ta-dan',
    d: { brands: DIAPERS, sizes: ['30pc', '60pc', '80pc'], count: ['miếng', 'pcs'], pkg: 'bịch', storage: NF, vary: [[['size sơ sinh', 'Newborn'], ['size S', 'Size S'], ['size M', 'Size M'], ['size L', 'Size L']], [['', ''], ['siêu thấm', 'Extra Absorbent'], ['cao cấp', 'Premium', { price: 1.3 }]]] },
    items: [
      ['Tã dán', 'Tape Diapers', 120_000, 180_000],
      ['Miếng lót sơ sinh', 'Newborn Inserts', 60_000, 90_000, { brands: ['Bobby', 'Huggies'], sizes: ['56pc', '108pc'], vary: [] }],
    ],
  },
  {
    leaf: 'sua-tam-be',
    d: { brands: ["Johnson's Baby", 'Lactacyd', 'Arau Baby', 'Pigeon', 'Cetaphil'], sizes: ['200ml', '500ml'], pkg: 'chai', storage: NF },
    items: [
      ['Sữa tắm gội cho bé', 'Baby Head-to-Toe Wash', 60_000, 110_000, { vary: [[['', ''], ['dịu nhẹ', 'Gentle'], ['thảo dược', 'Herbal'], ['hương sữa', 'Milk']]] }],
      ['Phấn rôm', 'Baby Powder', 30_000, 50_000, { brands: ["Johnson's Baby", 'Pigeon'], sizes: ['100g', '200g'] }],
      ['Dầu massage cho bé', 'Baby Massage Oil', 60_000, 95_000, { brands: ["Johnson's Baby", 'Pigeon'], sizes: ['50ml', '125ml'] }],
    ],
  },
  {
    leaf: 'khan-uot-be',
    d: { brands: ['Bobby', 'Mamamy', 'Huggies', 'Moony', 'Pigeon'], sizes: ['80pc', '100pc'], count: ['tờ', 'wipes'], packs: [3], pkg: 'gói', storage: NF },
    items: [
      ['Khăn ướt em bé', 'Baby Wipes', 30_000, 45_000, { vary: [[['', ''], ['không mùi', 'Unscented'], ['dịu nhẹ', 'Gentle'], ['nước tinh khiết', 'Pure Water']]] }],
      ['Khăn vải khô đa năng', 'Dry Baby Cloths', 35_000, 55_000, { brands: ['Mamamy', 'Tươi'], sizes: ['180pc', '300pc'] }],
    ],
  },
  {
    leaf: 'nuoc-giat-be',
    d: { brands: ['D-nee', 'Arau Baby', 'Pigeon'], sizes: ['600ml@túi', '1.4l@túi', '3l@can'], pkg: 'túi', storage: NF },
    items: [
      ['Nước giặt cho bé', 'Baby Laundry Detergent', 50_000, 75_000, { vary: [[['', ''], ['hương hoa', 'Floral'], ['không mùi', 'Unscented']]] }],
      ['Nước xả vải cho bé', 'Baby Fabric Softener', 45_000, 70_000],
    ],
  },
  {
    leaf: 'thuc-an-cho',
    d: { brands: ['Pedigree', 'Royal Canin', 'SmartHeart', 'Ganador'], sizes: ['400g', '1.5kg', '3kg', '10kg'], pkg: 'túi', storage: AMBIENT, shelf: 540, vary: [[['vị bò', 'Beef'], ['vị gà', 'Chicken'], ['vị gà và gan', 'Chicken & Liver'], ['vị cừu', 'Lamb']], [['', ''], ['cho chó con', 'Puppy'], ['cho chó trưởng thành', 'Adult'], ['cho chó lớn tuổi', 'Senior']]] },
    items: [
      ['Thức ăn cho chó', 'Dog Food', 45_000, 70_000],
      ['Pate cho chó', 'Dog Pâté', 18_000, 28_000, { sizes: ['130g@gói', '400g@lon'] }],
    ],
  },
  {
    leaf: 'thuc-an-meo',
    d: { brands: ['Whiskas', 'Me-O', 'Royal Canin', 'Catsrang', 'Minino'], sizes: ['400g', '1.2kg', '3kg', '7kg'], pkg: 'túi', storage: AMBIENT, shelf: 540, vary: [[['vị cá ngừ', 'Tuna'], ['vị cá biển', 'Ocean Fish'], ['vị cá hồi', 'Salmon'], ['vị gà', 'Chicken'], ['vị hải sản', 'Seafood']], [['', ''], ['cho mèo con', 'Kitten'], ['cho mèo trưởng thành', 'Adult'], ['cho mèo triệt sản', 'Sterilised']]] },
    items: [
      ['Thức ăn cho mèo', 'Cat Food', 45_000, 70_000],
      ['Pate cho mèo', 'Cat Pâté', 12_000, 20_000, { sizes: ['80g@gói', '400g@lon'], packs: [12] }],
    ],
  },
  {
    leaf: 'banh-thuong-thu-cung',
    d: { brands: ['Ciao', 'Me-O', 'Jerhigh', 'Pedigree'], sizes: ['4pc', '20pc'], count: ['thanh', 'sticks'], pkg: 'gói', storage: AMBIENT, shelf: 365 },
    items: [
      ['Súp thưởng cho mèo', 'Creamy Cat Treats', 30_000, 45_000, { brands: ['Ciao', 'Me-O'], count: ['tuýp', 'tubes'], vary: [[['vị cá ngừ', 'Tuna'], ['vị gà', 'Chicken'], ['vị cá hồi', 'Salmon']]] }],
      ['Bánh thưởng cho chó', 'Dog Treats', 35_000, 55_000, { brands: ['Jerhigh', 'Pedigree'], sizes: ['70g', '200g'], vary: [[['vị gà', 'Chicken'], ['vị bò', 'Beef'], ['vị sữa', 'Milk']]] }],
      ['Xương gặm cho chó', 'Dog Chew Bones', 30_000, 50_000, { brands: ['Jerhigh', 'Pedigree', 'Tươi'], count: ['cái', 'pcs'], vary: [[['size nhỏ', 'Small'], ['size lớn', 'Large']]] }],
    ],
  },
  {
    leaf: 'cat-ve-sinh',
    d: { brands: ['Kit Cat', "Cat's Best", 'Me-O', 'Tươi'], sizes: ['5l', '10l'], pkg: 'túi', storage: NF },
    items: [
      ['Cát vệ sinh cho mèo', 'Cat Litter', 60_000, 120_000, { vary: [[['đất sét', 'Clay'], ['đậu nành', 'Tofu'], ['than hoạt tính', 'Charcoal']], [['', ''], ['hương chanh', 'Lemon'], ['hương táo', 'Apple'], ['hương cà phê', 'Coffee']]] }],
      ['Khay vệ sinh cho mèo', 'Cat Litter Tray', 80_000, 150_000, { brands: ['Tươi', 'Me-O'], sizes: ['1pc'], count: ['cái', 'pc'], vary: [[['size vừa', 'Medium'], ['size lớn', 'Large'], ['có nắp', 'Covered']]] }],
    ],
  },
  {
    leaf: 've-sinh-thu-cung',
    d: { brands: ['SOS', 'Joyce & Dolls', 'Tươi'], sizes: ['250ml', '530ml'], pkg: 'chai', storage: NF },
    items: [
      ['Sữa tắm cho chó mèo', 'Pet Shampoo', 55_000, 90_000, { vary: [[['', ''], ['trị ve rận', 'Flea & Tick'], ['lông trắng', 'White Coat'], ['khử mùi', 'Deodorising']]] }],
      ['Tã lót cho chó', 'Pet Training Pads', 90_000, 140_000, { sizes: ['50pc', '100pc'], count: ['miếng', 'pads'], pkg: 'bịch' }],
      ['Xịt khử mùi thú cưng', 'Pet Odour Spray', 60_000, 95_000, { sizes: ['300ml', '500ml'] }],
    ],
  },
];
