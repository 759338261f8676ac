export default definePageConfig({ navigationBarTitleText: '替你跑·寄补正材料' });
