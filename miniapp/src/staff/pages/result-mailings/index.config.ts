export default definePageConfig({ navigationBarTitleText: '批量寄递结果' });
