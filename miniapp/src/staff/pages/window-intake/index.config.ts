export default definePageConfig({ navigationBarTitleText: '核对材料' });
