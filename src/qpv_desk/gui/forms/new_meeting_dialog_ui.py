# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'new_meeting_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QDialog,
    QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
    QSizePolicy, QVBoxLayout, QWidget)

class Ui_NewMeetingDialog(object):
    def setupUi(self, NewMeetingDialog):
        if not NewMeetingDialog.objectName():
            NewMeetingDialog.setObjectName(u"NewMeetingDialog")
        NewMeetingDialog.resize(460, 300)
        self.mainLayout = QVBoxLayout(NewMeetingDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.bodyLabel = QLabel(NewMeetingDialog)
        self.bodyLabel.setObjectName(u"bodyLabel")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.bodyLabel)

        self.body = QComboBox(NewMeetingDialog)
        self.body.setObjectName(u"body")

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.body)

        self.dateLabel = QLabel(NewMeetingDialog)
        self.dateLabel.setObjectName(u"dateLabel")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.dateLabel)

        self.date = QLineEdit(NewMeetingDialog)
        self.date.setObjectName(u"date")

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.date)

        self.titleLabel = QLabel(NewMeetingDialog)
        self.titleLabel.setObjectName(u"titleLabel")

        self.form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.titleLabel)

        self.title_edit = QLineEdit(NewMeetingDialog)
        self.title_edit.setObjectName(u"title_edit")

        self.form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.title_edit)

        self.startLabel = QLabel(NewMeetingDialog)
        self.startLabel.setObjectName(u"startLabel")

        self.form.setWidget(3, QFormLayout.ItemRole.LabelRole, self.startLabel)

        self.start = QLineEdit(NewMeetingDialog)
        self.start.setObjectName(u"start")

        self.form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.start)

        self.endLabel = QLabel(NewMeetingDialog)
        self.endLabel.setObjectName(u"endLabel")

        self.form.setWidget(4, QFormLayout.ItemRole.LabelRole, self.endLabel)

        self.end = QLineEdit(NewMeetingDialog)
        self.end.setObjectName(u"end")

        self.form.setWidget(4, QFormLayout.ItemRole.FieldRole, self.end)

        self.placeLabel = QLabel(NewMeetingDialog)
        self.placeLabel.setObjectName(u"placeLabel")

        self.form.setWidget(5, QFormLayout.ItemRole.LabelRole, self.placeLabel)

        self.place = QLineEdit(NewMeetingDialog)
        self.place.setObjectName(u"place")

        self.form.setWidget(5, QFormLayout.ItemRole.FieldRole, self.place)


        self.mainLayout.addLayout(self.form)

        self.errorSummary = QLabel(NewMeetingDialog)
        self.errorSummary.setObjectName(u"errorSummary")
        self.errorSummary.setWordWrap(True)

        self.mainLayout.addWidget(self.errorSummary)

        self.hint = QLabel(NewMeetingDialog)
        self.hint.setObjectName(u"hint")
        self.hint.setWordWrap(True)

        self.mainLayout.addWidget(self.hint)

        self.buttons = QDialogButtonBox(NewMeetingDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.mainLayout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.bodyLabel.setBuddy(self.body)
        self.dateLabel.setBuddy(self.date)
        self.titleLabel.setBuddy(self.title_edit)
        self.startLabel.setBuddy(self.start)
        self.endLabel.setBuddy(self.end)
        self.placeLabel.setBuddy(self.place)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(NewMeetingDialog)

        QMetaObject.connectSlotsByName(NewMeetingDialog)
    # setupUi

    def retranslateUi(self, NewMeetingDialog):
        NewMeetingDialog.setWindowTitle(QCoreApplication.translate("NewMeetingDialog", u"Nouvelle r\u00e9union", None))
        self.bodyLabel.setText(QCoreApplication.translate("NewMeetingDialog", u"&Instance", None))
        self.dateLabel.setText(QCoreApplication.translate("NewMeetingDialog", u"&Date", None))
        self.date.setPlaceholderText(QCoreApplication.translate("NewMeetingDialog", u"jj/mm/aaaa", None))
        self.titleLabel.setText(QCoreApplication.translate("NewMeetingDialog", u"&Titre", None))
        self.title_edit.setPlaceholderText(QCoreApplication.translate("NewMeetingDialog", u"par d\u00e9faut : le nom de l'instance", None))
        self.startLabel.setText(QCoreApplication.translate("NewMeetingDialog", u"D\u00e9&but", None))
        self.start.setPlaceholderText(QCoreApplication.translate("NewMeetingDialog", u"14:00", None))
        self.endLabel.setText(QCoreApplication.translate("NewMeetingDialog", u"&Fin", None))
        self.end.setPlaceholderText(QCoreApplication.translate("NewMeetingDialog", u"16:00", None))
        self.placeLabel.setText(QCoreApplication.translate("NewMeetingDialog", u"&Lieu", None))
        self.hint.setText(QCoreApplication.translate("NewMeetingDialog", u"Les membres de l'instance \u00e0 cette date seront invit\u00e9s ; vous pourrez ajouter des invit\u00e9s.", None))
    # retranslateUi

