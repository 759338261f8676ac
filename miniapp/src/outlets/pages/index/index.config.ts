export default definePageConfig({ navigationBarTitleText: '附近网点' });
