"""Words that point to a category, as a helpdesk team knows them.

Each keyword present adds a `lex:<category>` feature, whose weight the model learns like any
other. It lets a ticket about a problem no training ticket mentioned still be recognised by its
vocabulary (a "راوتر" is network, a "خرطوشة" is printing) — the cross-validation, grouped by
issue, measures exactly that.
"""

from __future__ import annotations

from helpdesk.domain.taxonomy import Category as C

KEYWORDS: dict[C, str] = {
    C.NETWORK: (
        "سيرفر سيرفرات الداتا سنتر بروكسي فايروول فايرول دومين الدومين سويتشات راوترات اكسس بوينت الوايرلس الوايفاي نتورك كونكشن "
        "النت الشبكه واي فاي الواي فاي وايرلس راوتر الراوتر سويتش المبدل مبدل نقطة وصول فاصل فاصله يفصل مقطوع vpn wifi wi-fi wireless network internet router switch lan wan ip dns dhcp proxy firewall ping bandwidth ethernet port access point forticlient anyconnect connectivity offline disconnect "
        "انترنت إنترنت نت شبكة شبكات واي فاي وايفاي لاسلكي لاسلكية اتصال متصل منقطع انقطاع "
        "راوتر موجه مودم سويتش كابل منفذ سرعة بطء بطيء إشارة اشارة خادم سيرفر عنوان بروكسي "
        "جدار حماية محجوب حجب نطاق بنج تصفح افتراضية عن بعد ألياف"
    ),
    C.HARDWARE: (
        "ديسكتوب هارديسك هارد ديسك كيبورد كيبورت ماوس مونيتور بروجكتر داتا شو دوك ستيشن شاحن لابتوبات يو اس بي فلاشة فلاش "
        "اللابتوب لابتوب الكمبيوتر كمبيوتر الماوس الكيبورد الشاشه مونيتور بروجكتر جهاز العرض محطة الإرساء الشاحن خربان بايظ طافي يطفي laptop desktop pc monitor screen keyboard mouse battery charger docking dock projector hdmi ram ssd hard disk drive fan overheating dell lenovo hp elitebook latitude thinkpad webcam headset phone "
        "جهاز حاسوب كمبيوتر لابتوب محمول شاشة شاشات لوحة مفاتيح كيبورد فأرة ماوس بطارية شاحن "
        "مروحة قرص ذاكرة رام معالج كاميرا سماعة سماعات ميكروفون منفذ يو إس بي هاتف ثابت "
        "مكسور كسر تالف عطل زر تشغيل يسخن حرارة قطعة قطع تبديل جديد ملحقات"
    ),
    C.SOFTWARE: (
        "تيمز زووم زوم اوفيس اكسل وورد بوربوينت ويندوز ابديت انستول تنصيب لايسنس رخصه سيستم ساب اوراكل كروم متصفح درايف ون درايف شيربوينت انتي فايروس "
        "البرنامج السيستم النظام التطبيق ابديت تحديث ويندوز انستول تثبيت ترخيص تفعيل software application app system update install windows office excel word powerpoint teams chrome browser edge sap oracle erp autocad adobe antivirus license activation crash error bug onedrive sharepoint "
        "برنامج برامج تطبيق تطبيقات نظام تحديث تثبيت ترخيص رخصة نسخة إصدار متصفح فيروس "
        "حماية مكافحة خطأ رسالة يغلق يتجمد يعلق تعليق واجهة ملف ملفات إضافة ويندوز تشغيل "
        "مستندات جداول عروض تصميم قاعدة بيانات"
    ),
    C.EMAIL: (
        "انبوكس اتاتشمنت ميلات ايميلات الاوتلوك اوتلوك اكستشينج سبام "
        "الايميل ايميل الاوتلوك اوتلوك البريد صندوق الوارد مرفق email e-mail mail outlook mailbox inbox attachment signature calendar invite bounce spam phishing exchange sync distribution list shared mailbox auto reply out of office "
        "بريد إيميل ايميل رسالة رسائل صندوق الوارد الصادر مرفق مرفقات توقيع قائمة بريدية "
        "تقويم دعوة اجتماع مزعجة سبام تصيد احتيالية إرسال استقبال الرد التلقائي أوتلوك "
        "عنوان بريدي مشترك مجموعة بريدية"
    ),
    C.ACCOUNTS_ACCESS: (
        "يوزر يوزرنيم لوجن لوج اكاونت باسوورد الباسوورد بريمشن صلاحيه اكتف دايركتوري ريست "
        "الباسورد باسورد كلمة السر اليوزر يوزر حسابي مقفل مقفول موقوف صلاحيه صلاحيات password account login log in sign in locked lockout reset username user access permission permissions rights admin active directory mfa otp 2fa authenticator credentials role "
        "حساب حسابات كلمة مرور باسورد الدخول تسجيل دخول صلاحية صلاحيات وصول مقفل قفل "
        "إعادة تعيين مستخدم اسم المستخدم تحقق رمز التحقق بخطوتين هوية بطاقة الدخول "
        "إيقاف الحساب تفعيل الحساب مدير النظام أذونات إذن"
    ),
    C.PRINTING: (
        "برينتر كارتردج خرطوشه حبر تونر سكان سكانر اسكان كوبي فوتوكوبي ماكينه التصوير "
        "البرنتر برنتر الطابعه طابعتي التونر تونر حبر سكانر اسكانر الماسح التصوير printer printers print printing toner cartridge ink scanner scan copier photocopier paper jam laserjet canon ricoh xerox kyocera epson brother duplex queue spooler "
        "طابعة طابعات طباعة يطبع تطبع مطبوع ورق الورق حبر خرطوشة تونر انحشار ماسح ضوئي "
        "سكانر تصوير آلة التصوير نسخ باهتة طابور الطباعة وجهين ملون أبيض وأسود"
    ),
    C.HR: (
        "اجازه الاجازه اجازات البصمه الحضور الانصراف الموارد البشريه leave vacation annual leave sick leave attendance fingerprint hr training course appraisal contract resignation employment letter promotion "
        "إجازة اجازة إجازات سنوية مرضية أمومة موارد بشرية موظف موظفين عقد العمل تقييم "
        "الأداء ترقية تدريب دورة تدريبية نقل استقالة إنهاء خدمة دوام حضور انصراف بصمة "
        "تأمين طبي ملف وظيفي خطاب تعريف شكوى زميل ساعات مرنة توظيف مقابلة"
    ),
    C.FINANCE: (
        "الراتب راتب المعاش الرواتب بدل سلفه فاتوره فواتير مصاريف salary payroll payslip allowance overtime invoice invoices reimbursement expense expenses payment refund budget advance bank transfer "
        "راتب رواتب الراتب مالية مالي مبلغ خصم بدل سكن نقل مكافأة سلفة فاتورة فواتير "
        "مصروفات مصاريف استرداد تعويض مطالبة دفع تحويل بنك بنكي حساب بنكي ميزانية "
        "شراء مشتريات مورد موردين عهدة ضريبة ضرائب محاسبة تسوية صرف"
    ),
    C.FACILITIES: (
        "المكيف مكيف التكييف اللمبه لمبات تسريب موية مويه الحمام الكهربا المصعد الكرسي ac air conditioning conditioner cooling light lights lamp leak water toilet elevator lift chair desk cleaning parking maintenance "
        "مكيف تكييف تبريد حرارة إضاءة اضاءة مصباح مصابيح كهرباء مقبس تسرب مياه سباكة "
        "دورة المياه حمام تنظيف نظافة نفايات كرسي مكتب أثاث طاولة باب نافذة مصعد موقف "
        "سيارات قاعة اجتماعات حجز صيانة مبنى طابق ممر مطبخ حشرات رائحة"
    ),
    C.OTHER: (
        "اقتراح فكره عام شكر تهنئه suggestion idea question event thanks congratulations "
        "اقتراح مقترح فكرة سؤال شكر تهنئة فعالية فعاليات مسابقة تبرع رعاية مبادرة "
        "تطوع تطوعي زيارة وفد مفقودات ملاحظة مؤتمر حفل رحلة"
    ),
}
